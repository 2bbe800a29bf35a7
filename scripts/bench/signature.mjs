// validateRequest from the built @twiml-guard/core side by side with twilio@6.2.0, in one run:
// cold import (fresh node processes, median), the minified esbuild bundle of a file importing only
// validateRequest, and ops/s on a 12-field SMS webhook (valid signature, one made over `:443`, a
// forged one) next to the floor: one createHmac('sha1') + timingSafeEqual.
// Run: node scripts/bench/signature.mjs (after `npm run build`; builds if dist/ is missing).
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(join(root, 'package.json'));
const coreDist = join(root, 'packages/core/dist/index.cjs');
const outDir = join(root, 'node_modules/.cache/twiml-guard-bench');

const IMPORT_RUNS = 15;
const TARGETS = { importRatio: 30, bundleBytes: 8 * 1024, validSpeedup: 1.5, forgedSpeedup: 2 };

// ---------- the webhook ----------

const TOKEN = '0123456789abcdef0123456789abcdef';
const URL_RECEIVED = 'https://hooks.example.com/sms';
// In the order Twilio posts an inbound SMS (not sorted: sorting is part of the work).
/** @type {Record<string, string>} */
const SMS_PARAMS = {
  ToCountry: 'US',
  SmsMessageSid: 'SM0123456789abcdef0123456789abcdef',
  NumMedia: '0',
  SmsSid: 'SM0123456789abcdef0123456789abcdef',
  SmsStatus: 'received',
  Body: 'Hello from the benchmark',
  FromCountry: 'US',
  To: '+14155550199',
  NumSegments: '1',
  MessageSid: 'SM0123456789abcdef0123456789abcdef',
  AccountSid: 'AC0123456789abcdef0123456789abcdef',
  From: '+14155550100',
};

// ---------- helpers ----------

/**
 * @param {readonly number[]} values
 * @returns {number} NaN for no values
 */
function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const at = (/** @type {number} */ index) => sorted[index] ?? NaN;
  return sorted.length % 2 ? at(middle) : (at(middle - 1) + at(middle)) / 2;
}

/** @param {number} ms */
const formatMs = (ms) => `${ms.toFixed(1)} ms`;
/** @param {number} ops */
const formatOps = (ops) => `${Math.round(ops).toLocaleString('en-US')} ops/s`;
/** @param {number} bytes */
const formatBytes = (bytes) => (bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(2)} MB` : `${(bytes / 1024).toFixed(1)} KB`);

function ensureBuilt() {
  if (!existsSync(coreDist)) execFileSync(process.execPath, [join(root, 'scripts/build.mjs')], { cwd: root, stdio: 'inherit' });
}

// ---------- cold import ----------

/** @param {string} specifier */
function importMs(specifier) {
  const script = `const t=process.hrtime.bigint();require(${JSON.stringify(specifier)});process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))`;
  return Number(execFileSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8' }));
}

/**
 * Alternates the three so machine load drifts hit all alike; the first (cache-warming) round is not
 * counted. The floor is what any HMAC validator pays: the CommonJS loader's first user module plus
 * loading node:crypto (which Node does not load at startup).
 * @param {number} runs
 */
function coldImports(runs) {
  mkdirSync(outDir, { recursive: true });
  const floorFile = join(outDir, 'signature-import-floor.cjs');
  writeFileSync(floorFile, `module.exports = require('node:crypto').createHmac;\n`);
  const specifiers = { core: coreDist, twilio: require.resolve('twilio'), floor: floorFile };
  /** @type {Record<keyof typeof specifiers, number[]>} */
  const times = { core: [], twilio: [], floor: [] };
  for (const specifier of Object.values(specifiers)) importMs(specifier);
  for (let i = 0; i < runs; i++)
    for (const [name, specifier] of /** @type {Array<[keyof typeof specifiers, string]>} */ (Object.entries(specifiers)))
      times[name].push(importMs(specifier));
  /**
   * @param {keyof typeof times} slow
   * @param {keyof typeof times} fast
   */
  const ratio = (slow, fast) => median(times[slow].map((value, run) => value / (times[fast][run] ?? NaN)));
  return {
    core: median(times.core),
    twilio: median(times.twilio),
    floor: median(times.floor),
    twilioOverCore: ratio('twilio', 'core'),
    twilioOverFloor: ratio('twilio', 'floor'),
    runs,
  };
}

// ---------- bundle size ----------

/**
 * @param {string} name
 * @param {string} contents
 */
async function bundleBytes(name, contents) {
  mkdirSync(outDir, { recursive: true });
  const outfile = join(outDir, `signature-${name}.cjs`);
  await build({
    stdin: { contents, resolveDir: root, sourcefile: `${name}-validate.mjs`, loader: 'js' },
    bundle: true,
    minify: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    outfile,
    logLevel: 'error',
  });
  return readFileSync(outfile).length;
}

// ---------- throughput ----------

/** Runs `fn` in batches for about `ms`; returns calls per second. `sink` keeps the results alive. */
let sink = 0;
/**
 * @param {() => unknown} fn
 * @param {number} ms
 */
function opsPerSecond(fn, ms) {
  let calls = 0;
  let batch = 256;
  const start = process.hrtime.bigint();
  const budget = BigInt(Math.round(ms * 1e6));
  let elapsed = 0n;
  while (elapsed < budget) {
    for (let i = 0; i < batch; i++) if (fn()) sink++;
    calls += batch;
    elapsed = process.hrtime.bigint() - start;
    if (elapsed < budget / 8n) batch *= 2;
  }
  return calls / (Number(elapsed) / 1e9);
}

/**
 * Many short rounds, every case once per round: on a shared machine, load changes between rounds,
 * so each speedup is the median of the per-round ratios (both sides measured moments apart), and
 * each ops/s figure the median over rounds.
 */
function throughput({ rounds = 31, msPerRound = 60 } = {}) {
  /** @type {typeof import('@twiml-guard/core')} */
  const core = require(coreDist);
  /** @type {typeof import('twilio')} */
  const twilio = require('twilio');
  const valid = twilio.getExpectedTwilioSignature(TOKEN, URL_RECEIVED, SMS_PARAMS);
  const with443 = twilio.getExpectedTwilioSignature(TOKEN, URL_RECEIVED.replace('.com/', '.com:443/'), SMS_PARAMS);
  const forged = twilio.getExpectedTwilioSignature(`${TOKEN}-forged`, URL_RECEIVED, SMS_PARAMS);

  // Both libraries must give the expected verdicts before anything is timed.
  for (const [name, validate] of /** @type {Array<[string, typeof core.validateRequest]>} */ ([
    ['core', core.validateRequest],
    ['twilio', twilio.validateRequest],
  ])) {
    const verdicts = [valid, with443, forged].map((signature) => validate(TOKEN, signature, URL_RECEIVED, SMS_PARAMS));
    if (verdicts.join() !== 'true,true,false') throw new Error(`${name}: unexpected verdicts ${verdicts.join()}`);
  }

  const signedString =
    URL_RECEIVED +
    Object.keys(SMS_PARAMS)
      .sort()
      .map((key) => key + SMS_PARAMS[key])
      .join('');
  const expectedBytes = Buffer.from(valid, 'base64');
  const cases = {
    'core valid': () => core.validateRequest(TOKEN, valid, URL_RECEIVED, SMS_PARAMS),
    'twilio valid': () => twilio.validateRequest(TOKEN, valid, URL_RECEIVED, SMS_PARAMS),
    'core :443': () => core.validateRequest(TOKEN, with443, URL_RECEIVED, SMS_PARAMS),
    'twilio :443': () => twilio.validateRequest(TOKEN, with443, URL_RECEIVED, SMS_PARAMS),
    'core forged': () => core.validateRequest(TOKEN, forged, URL_RECEIVED, SMS_PARAMS),
    'twilio forged': () => twilio.validateRequest(TOKEN, forged, URL_RECEIVED, SMS_PARAMS),
    floor: () => timingSafeEqual(createHmac('sha1', TOKEN).update(signedString).digest(), expectedBytes),
  };
  /** @typedef {keyof typeof cases} CaseName */
  const caseEntries = /** @type {Array<[CaseName, () => boolean]>} */ (Object.entries(cases));
  for (const fn of Object.values(cases)) opsPerSecond(fn, 100); // warm up the JIT
  const samples = /** @type {Record<CaseName, number[]>} */ (
    Object.fromEntries(Object.keys(cases).map((name) => [name, /** @type {number[]} */ ([])]))
  );
  for (let round = 0; round < rounds; round++) {
    for (const [name, fn] of caseEntries) samples[name].push(opsPerSecond(fn, msPerRound));
  }
  const opsMedian = /** @type {Record<CaseName, number>} */ (
    Object.fromEntries(Object.entries(samples).map(([name, values]) => [name, median(values)]))
  );
  /**
   * @param {CaseName} ours
   * @param {CaseName} theirs
   */
  const ratio = (ours, theirs) => median(samples[ours].map((value, round) => value / (samples[theirs][round] ?? NaN)));
  return {
    ops: opsMedian,
    speedup: {
      valid: ratio('core valid', 'twilio valid'),
      with443: ratio('core :443', 'twilio :443'),
      forged: ratio('core forged', 'twilio forged'),
      ofFloor: ratio('core valid', 'floor'),
    },
    rounds,
  };
}

// ---------- the report ----------

/** @returns {Promise<import('./lib/table.mjs').Section>} */
export async function run() {
  ensureBuilt();
  const imports = coldImports(IMPORT_RUNS);
  const coreBundle = await bundleBytes('core', `import { validateRequest } from '@twiml-guard/core';\nexport { validateRequest };\n`);
  const twilioBundle = await bundleBytes('twilio', `import { validateRequest } from 'twilio';\nexport { validateRequest };\n`);
  const { ops, speedup, rounds } = throughput();

  const importRatio = imports.twilioOverCore;
  const { valid: validSpeedup, with443: with443Speedup, forged: forgedSpeedup } = speedup;
  const rows = [
    {
      metric: `cold import, median of ${imports.runs} fresh processes (core dist/index.cjs vs require('twilio'))`,
      twimlGuard: formatMs(imports.core),
      baseline: formatMs(imports.twilio),
      target: `<= 1/${TARGETS.importRatio} of twilio (now 1/${importRatio.toFixed(1)})`,
      met: importRatio >= TARGETS.importRatio,
    },
    {
      metric: 'cold import vs its floor (a module that only requires node:crypto)',
      twimlGuard: formatMs(imports.core),
      baseline: `${formatMs(imports.floor)} (floor)`,
      target: `(no target; floor is 1/${imports.twilioOverFloor.toFixed(1)} of twilio)`,
    },
    {
      metric: 'minified esbuild bundle importing only validateRequest',
      twimlGuard: formatBytes(coreBundle),
      baseline: formatBytes(twilioBundle),
      target: `<= ${formatBytes(TARGETS.bundleBytes)} (1/${(twilioBundle / coreBundle).toFixed(0)} of twilio)`,
      met: coreBundle <= TARGETS.bundleBytes,
    },
    {
      metric: `validateRequest, 12-field SMS, valid signature (median of ${rounds} interleaved rounds)`,
      twimlGuard: formatOps(ops['core valid']),
      baseline: formatOps(ops['twilio valid']),
      target: `>= ${TARGETS.validSpeedup}x twilio (now ${validSpeedup.toFixed(2)}x)`,
      met: validSpeedup >= TARGETS.validSpeedup,
    },
    {
      metric: 'validateRequest, 12-field SMS, signature made over :443',
      twimlGuard: formatOps(ops['core :443']),
      baseline: formatOps(ops['twilio :443']),
      target: `(no target; now ${with443Speedup.toFixed(2)}x)`,
    },
    {
      metric: 'validateRequest, 12-field SMS, forged signature',
      twimlGuard: formatOps(ops['core forged']),
      baseline: formatOps(ops['twilio forged']),
      target: `>= ${TARGETS.forgedSpeedup}x twilio (now ${forgedSpeedup.toFixed(2)}x)`,
      met: forgedSpeedup >= TARGETS.forgedSpeedup,
    },
    {
      metric: 'valid signature vs the floor (one createHmac(sha1) + timingSafeEqual)',
      twimlGuard: formatOps(ops['core valid']),
      baseline: `${formatOps(ops.floor)} (floor)`,
      target: `(no target; ${(speedup.ofFloor * 100).toFixed(0)}% of the floor)`,
    },
  ];
  return { title: 'Signature validation: @twiml-guard/core vs twilio@6.2.0', rows };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { title, rows } = await run();
  console.log(title);
  console.table(
    rows.map(({ metric, twimlGuard, baseline, target, met }) => ({
      metric,
      'twiml-guard': twimlGuard,
      'twilio / floor': baseline,
      target: target ?? '',
      met: met === undefined ? '' : met ? 'yes' : 'NO',
    })),
  );
  if (sink < 0) console.log(sink); // never true; keeps the benchmark results observable
}

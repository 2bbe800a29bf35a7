// Cold start per platform: minified esbuild bundle size, fresh-process import time, and the CPU cost of
// a fresh instance's first requests, for the sms-auto-reply template (twiml-guard adapter + the shared
// handler), next to the same template written the common way (twilio's validateRequest +
// MessagingResponse, scripts/bench/entries/*-twilio.mjs). Run `npm run build` first: the bundles are
// made from the packages' dist/.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { medianFreshImportMs } from './lib/fresh-import.mjs';
import { STATUS_OF } from './lib/platform-requests.mjs';
import { AUTH_TOKEN } from './lib/webhook-fixture.mjs';
import { fraction, kilobytes, median, ms, us } from './lib/stats.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const entries = join(root, 'scripts/bench/entries');
const template = join(root, 'templates/sms-auto-reply');
const outDir = join(root, 'node_modules/.cache/twiml-guard-bench/cold-start');

// On the platform or resolved at runtime, so outside the bundle. `@azure/*` covers the Key Vault SDKs
// the Azure adapter loads only when a vault is configured (the common-way baseline reads the env).
const EXTERNAL = ['@aws-sdk/*', '@azure/*', '@google-cloud/*'];
const TARGET_RATIO = 20;
const requireFromHere = createRequire(import.meta.url);

/**
 * @typedef {object} Platform
 * @property {keyof typeof STATUS_OF} name
 * @property {string[]} ours the template's entry (the first that exists)
 * @property {string} theirs the common-way entry
 * @property {string[]} platformLibrary
 */

/** @type {Platform[]} */
export const PLATFORMS = [
  { name: 'Lambda', ours: [join(template, 'aws/index.ts')], theirs: join(entries, 'lambda-twilio.mjs'), platformLibrary: [] },
  {
    name: 'Azure',
    ours: [join(template, 'azure/src/functions/sms.ts')],
    theirs: join(entries, 'azure-twilio.mjs'),
    platformLibrary: ['@azure/functions'],
  },
  {
    name: 'GCP',
    ours: [join(template, 'gcp/src/index.ts'), join(template, 'gcp/index.ts')],
    theirs: join(entries, 'gcp-twilio.mjs'),
    platformLibrary: ['@google-cloud/functions-framework'],
  },
  { name: 'fetch', ours: [join(entries, 'fetch-twiml-guard.mjs')], theirs: join(entries, 'fetch-twilio.mjs'), platformLibrary: [] },
];

/**
 * @param {string} entry
 * @param {string} name
 */
export async function bundle(entry, name) {
  mkdirSync(outDir, { recursive: true });
  const outfile = join(outDir, `${name}.cjs`);
  await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: EXTERNAL,
    outfile,
    logLevel: 'error',
  });
  return { file: outfile, bytes: readFileSync(outfile).length };
}

/**
 * @param {string} metric
 * @param {number} ours
 * @param {number} theirs
 * @param {(value: number) => string} format
 * @returns {import('./lib/table.mjs').Row}
 */
function ratioRow(metric, ours, theirs, format) {
  return {
    metric,
    twimlGuard: format(ours),
    baseline: format(theirs),
    target: `≤ 1/${TARGET_RATIO} (got ${fraction(ours, theirs)})`,
    met: ours * TARGET_RATIO <= theirs,
  };
}

const FIRST_REQUESTS = 100;
const firstRequestsScript = join(root, 'scripts/bench/lib/measure-first-requests.mjs');

/**
 * CPU µs per request over the first FIRST_REQUESTS requests of a fresh process, median of `runs` processes, files taking turns.
 * @template {[] | string[]} Files
 * @param {string} platformName
 * @param {Files} files
 * @param {number} runs
 * @returns {{ [K in keyof Files]: number }}
 */
function firstRequestsCpuUs(platformName, files, runs) {
  /** @param {string} file */
  const measure = (file) =>
    /** @type {{ cpuUsPerRequest: number }} */ (
      JSON.parse(
        execFileSync(process.execPath, [firstRequestsScript, platformName, file, String(FIRST_REQUESTS)], {
          cwd: root,
          encoding: 'utf8',
          env: { ...process.env, TWILIO_AUTH_TOKEN: AUTH_TOKEN, NODE_ENV: 'production' },
          stdio: ['ignore', 'pipe', 'pipe'],
        }),
      )
    ).cpuUsPerRequest;
  const samples = files.map(() => /** @type {number[]} */ ([]));
  for (let run = 0; run < Math.ceil(runs / 2); run++)
    files.forEach((file, i) => {
      samples[i]?.push(measure(file));
    });
  return /** @type {{ [K in keyof Files]: number }} */ (samples.map(median));
}

/**
 * Both bundles must answer the signed webhook with 200: a size or time of a broken bundle means nothing.
 * @param {keyof typeof STATUS_OF} platformName
 * @param {string[]} files
 */
async function expectWorking(platformName, ...files) {
  const saved = process.env.TWILIO_AUTH_TOKEN;
  process.env.TWILIO_AUTH_TOKEN = AUTH_TOKEN; // both templates read it when no secret store is configured
  try {
    for (const file of files) {
      const status = await STATUS_OF[platformName](requireFromHere(file));
      if (status !== 200)
        throw new Error(`${file.slice(root.length + 1)} answered ${status} to a valid signed ${platformName} webhook: the bench is wrong`);
    }
  } finally {
    if (saved === undefined) delete process.env.TWILIO_AUTH_TOKEN;
    else process.env.TWILIO_AUTH_TOKEN = saved;
  }
}

/**
 * @param {{ runs?: number, platforms?: Platform[] }} [options]
 * @returns {Promise<import('./lib/table.mjs').Section>}
 */
export async function run({ runs = 11, platforms = PLATFORMS } = {}) {
  if (!existsSync(join(root, 'packages/core/dist/index.mjs'))) throw new Error('packages/*/dist is missing: run `npm run build` first');
  /** @type {import('./lib/table.mjs').Row[]} */
  const rows = [];
  /** @type {string[]} */
  const notes = [];
  for (const platform of platforms) {
    const entry = platform.ours.find((file) => existsSync(file));
    if (!entry) {
      notes.push(
        `${platform.name}: skipped, no template entry yet (looked for ${platform.ours.map((file) => file.slice(root.length + 1)).join(', ')})`,
      );
      continue;
    }
    const key = platform.name.toLowerCase();
    const ours = await bundle(entry, `${key}-twiml-guard`);
    const theirs = await bundle(platform.theirs, `${key}-twilio`);
    await expectWorking(platform.name, ours.file, theirs.file);
    rows.push(ratioRow(`${platform.name}: bundle size (minified)`, ours.bytes, theirs.bytes, kilobytes));

    // Both variants load the platform library alike; preloaded, the figure is the template's own import.
    const libraries = platform.platformLibrary.join(', ');
    const [oursImport, theirsImport] = medianFreshImportMs(
      [ours.file, theirs.file],
      { preload: platform.platformLibrary, cwd: root },
      runs,
    );
    const suffix = libraries ? ` (${libraries} preloaded)` : '';
    rows.push(ratioRow(`${platform.name}: import time, wall clock${suffix}`, oursImport.wallMs, theirsImport.wallMs, ms));
    rows.push(ratioRow(`${platform.name}: import time, CPU${suffix}`, oursImport.cpuMs, theirsImport.cpuMs, ms));
    if (libraries) {
      const [oursTotal, theirsTotal] = medianFreshImportMs([ours.file, theirs.file], { cwd: root }, runs);
      rows.push(ratioRow(`${platform.name}: import time, wall clock, incl. ${libraries}`, oursTotal.wallMs, theirsTotal.wallMs, ms));
      rows.push(ratioRow(`${platform.name}: import time, CPU, incl. ${libraries}`, oursTotal.cpuMs, theirsTotal.cpuMs, ms));
      notes.push(
        `${platform.name}: loading ${libraries} itself, which both variants need, is about ${ms(Math.max(0, oursTotal.cpuMs - oursImport.cpuMs))} CPU of twiml-guard's ${ms(oursTotal.cpuMs)} in the "incl." rows; the rows with it preloaded show the template's own code.`,
      );
    }
    const [oursFirst, theirsFirst] = firstRequestsCpuUs(platform.name, [ours.file, theirs.file], runs);
    rows.push({
      metric: `${platform.name}: first ${FIRST_REQUESTS} requests after the cold start, CPU per request`,
      twimlGuard: us(oursFirst),
      baseline: us(theirsFirst),
    });
  }
  // The floor any HMAC validator pays: loading node:crypto.
  const floorFile = join(outDir, 'node-crypto-only.cjs');
  writeFileSync(floorFile, "require('node:crypto');\n");
  const [floor] = medianFreshImportMs([floorFile], { cwd: root }, runs);
  rows.push({
    metric: 'floor: a file that only requires node:crypto',
    twimlGuard: `${ms(floor.wallMs)} (CPU ${ms(floor.cpuMs)})`,
    baseline: '',
    note: 'any HMAC validator pays this',
  });
  notes.push(
    `Most of twiml-guard's import is node:crypto (${ms(floor.cpuMs)} CPU on its own, the floor row), which any HMAC validator loads; the adapters, core and handler add the rest.`,
  );
  notes.unshift(
    `esbuild --bundle --minify --platform=node --format=cjs, external ${EXTERNAL.map((pattern) => `\`${pattern}\``).join(', ')}; import time = require() of the bundle from a script in a fresh node ${process.version} process, after the module loader's first use (one empty file required first, as a platform runtime has done before it loads a handler), median of ${runs}, variants alternating; CPU = process.cpuUsage() (user + system, all threads) over the same require.`,
    `First ${FIRST_REQUESTS} requests: a fresh process loads the bundle and answers ${FIRST_REQUESTS} signed webhooks in a row, before the JIT has optimised much, as a new function instance does; CPU µs per request, median of ${Math.ceil(runs / 2)} processes.`,
    "Baseline: the same template written the common way (`scripts/bench/entries/*-twilio.mjs`): twilio@6.2.0 validateRequest/validateRequestWithBody + MessagingResponse with the platform's usual glue.",
  );
  return { title: 'Cold start per platform: sms-auto-reply bundle', baselineLabel: 'common way (twilio)', rows, notes };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { formatText } = await import('./lib/table.mjs');
  console.log(formatText(await run()));
}

// Load: autocannon against the real local servers running the sms-auto-reply template, with Twilio-signed
// requests (valid) and requests signed with another token (forged), the template with its guard vs the
// same handler bare. Servers: the Functions Framework (GCP) and serverless offline (osls, API Gateway
// HTTP API + Lambda). Runs are short: 5 s of valid traffic per variant (in alternating 1 s runs, after an
// uncounted 1 s warm-up) and 1 s of forged traffic, so the section takes well under a minute.
import autocannon from 'autocannon';
import { request as httpRequest } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { bundle } from './cold-start.mjs';
import { processCpuMs } from './lib/process-cpu.mjs';
import { freePort, startServer } from './lib/server-process.mjs';
import { AUTH_TOKEN, FORM_CONTENT_TYPE, OTHER_TOKEN, SMS_FORM, signature } from './lib/webhook-fixture.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const GCP_HOST = 'sms-abc123def-uc.a.run.app';
const baseEnv = { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'production' };

/**
 * One request, to check a variant answers as expected before loading it.
 * @param {string} url
 * @param {Record<string, string>} headers
 * @returns {Promise<number | undefined>} the status
 */
function probe(url, headers) {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      { method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(SMS_FORM)) } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode));
      },
    );
    req.on('error', reject);
    req.end(SMS_FORM);
  });
}

/** @typedef {{ duration: number, connections: number }} LoadOptions */

/**
 * One autocannon run and the server's CPU time during it.
 * @typedef {object} RunResult
 * @property {number} requests
 * @property {number} p99
 * @property {number} sent
 * @property {number} ok
 * @property {number} failed
 * @property {number} serverCpuMs
 */

/**
 * A variant under load: where to send, what URL Twilio would have signed, the Host header to send, the server process.
 * @typedef {{ url: string, signedUrl: string, host?: string, pid: number | undefined }} Target
 */

/**
 * @param {string} url
 * @param {Record<string, string>} headers
 * @param {LoadOptions & { pid: number | undefined }} options
 * @returns {Promise<RunResult>}
 */
async function load(url, headers, { duration, connections, pid }) {
  const cpuBefore = processCpuMs(pid);
  const result = await autocannon({ url, method: 'POST', headers, body: SMS_FORM, duration, connections });
  const cpuAfter = processCpuMs(pid);
  const failed = result.non2xx + result.errors + result.timeouts;
  const requests = result['2xx'] + result.non2xx;
  return {
    requests,
    p99: result.latency.p99,
    sent: result['2xx'] + failed,
    ok: result['2xx'],
    failed,
    serverCpuMs: cpuBefore === undefined || cpuAfter === undefined ? NaN : cpuAfter - cpuBefore,
  };
}

/**
 * Sums of several runs; rate over the whole time, p99 as the median of the runs' p99.
 * @param {RunResult[]} runs
 * @param {number} secondsEach
 */
function combine(runs, secondsEach) {
  const p99s = runs.map((run) => run.p99).sort((a, b) => a - b);
  const sum = (/** @type {Exclude<keyof RunResult, 'p99'>} */ key) => runs.reduce((total, run) => total + run[key], 0);
  return {
    rps: sum('requests') / (secondsEach * runs.length),
    p99: p99s[Math.floor(p99s.length / 2)],
    sent: sum('sent'),
    ok: sum('ok'),
    failed: sum('failed'),
    serverCpuUsPerRequest: (sum('serverCpuMs') * 1000) / sum('requests'),
  };
}

/**
 * Valid and forged traffic against each variant; `variants` = { guarded: {url, signedUrl, host?, pid}, bare: {...} }
 (pid: the server process, whose CPU time is read around each run).
 * The valid traffic is split into `rounds` short runs that alternate between the variants, so that a
 * busy moment on the (shared) machine hits both alike.
 * @param {string} name
 * @param {Record<string, Target>} variants
 * @param {LoadOptions & { rounds?: number }} options
 * @returns {Promise<import('./lib/table.mjs').Row[]>}
 */
async function loadServer(name, variants, { duration, connections, rounds = 5 }) {
  /** @type {Record<string, { url: string, pid: number | undefined, valid: Record<string, string>, forged: Record<string, string> }>} */
  const traffic = {};
  for (const [variant, target] of Object.entries(variants)) {
    const headers = { 'content-type': FORM_CONTENT_TYPE, ...(target.host ? { host: target.host } : {}) };
    const variantTraffic = (traffic[variant] = {
      url: target.url,
      pid: target.pid,
      valid: { ...headers, 'x-twilio-signature': signature(target.signedUrl, AUTH_TOKEN) },
      forged: { ...headers, 'x-twilio-signature': signature(target.signedUrl, OTHER_TOKEN) },
    });
    const [validStatus, forgedStatus] = [await probe(target.url, variantTraffic.valid), await probe(target.url, variantTraffic.forged)];
    if (validStatus !== 200) throw new Error(`${name} ${variant}: a valid signed request got ${validStatus}: the bench is wrong`);
    if (variant !== 'bare' && forgedStatus !== 403)
      throw new Error(`${name} ${variant}: a forged request got ${forgedStatus}, expected 403`);
    await load(target.url, variantTraffic.valid, { connections, duration: 1, pid: target.pid }); // warm-up, not counted
  }
  const secondsEach = duration / rounds;
  const validRuns = Object.fromEntries(Object.keys(variants).map((variant) => [variant, /** @type {RunResult[]} */ ([])]));
  for (let round = 0; round < rounds; round++) {
    for (const [variant, { url, valid, pid }] of Object.entries(traffic))
      validRuns[variant]?.push(await load(url, valid, { connections, duration: secondsEach, pid }));
  }
  /** @type {Record<string, { valid: ReturnType<typeof combine>, forged: ReturnType<typeof combine> }>} */
  const results = {};
  for (const [variant, { url, forged, pid }] of Object.entries(traffic)) {
    results[variant] = {
      valid: combine(validRuns[variant] ?? [], secondsEach),
      forged: combine([await load(url, forged, { connections, duration: secondsEach, pid })], secondsEach),
    };
  }
  const { guarded, bare, twilioWay } = results;
  if (!guarded || !bare) throw new Error(`${name}: the guarded and bare variants are both required`);
  // The common way (twilio) rides along in the notes: valid traffic only, it refuses forged traffic too.
  /** @param {(result: ReturnType<typeof combine>) => string} format */
  const commonWay = (format) => (twilioWay ? `; common way (twilio): ${format(twilioWay.valid)}` : '');
  const cpu = (/** @type {ReturnType<typeof combine>} */ result) => `${result.serverCpuUsPerRequest.toFixed(0)} µs`;
  return [
    {
      metric: `${name}: requests/s (valid traffic)`,
      twimlGuard: guarded.valid.rps.toFixed(0),
      baseline: bare.valid.rps.toFixed(0),
      note: commonWay((result) => result.rps.toFixed(0)).slice(2) || undefined,
    },
    {
      metric: `${name}: p99 latency (valid traffic)`,
      twimlGuard: `${guarded.valid.p99} ms`,
      baseline: `${bare.valid.p99} ms`,
      note: commonWay((result) => `${result.p99} ms`).slice(2) || undefined,
    },
    {
      metric: `${name}: server CPU per request (valid traffic)`,
      twimlGuard: cpu(guarded.valid),
      baseline: cpu(bare.valid),
      note: `the guard adds ${(guarded.valid.serverCpuUsPerRequest - bare.valid.serverCpuUsPerRequest).toFixed(0)} µs${commonWay(cpu)}`,
    },
    {
      metric: `${name}: non-2xx to valid traffic`,
      twimlGuard: `${guarded.valid.failed} of ${guarded.valid.sent}`,
      baseline: `${bare.valid.failed} of ${bare.valid.sent}`,
      target: '0',
      met: guarded.valid.failed === 0 && guarded.valid.sent > 0,
      note: commonWay((result) => `${result.failed} of ${result.sent}`).slice(2) || undefined,
    },
    {
      metric: `${name}: 2xx to forged traffic`,
      twimlGuard: `${guarded.forged.ok} of ${guarded.forged.sent}`,
      baseline: `${bare.forged.ok} of ${bare.forged.sent}`,
      target: '0',
      met: guarded.forged.ok === 0 && guarded.forged.sent > 0,
      note: twilioWay ? `common way (twilio): ${twilioWay.forged.ok} of ${twilioWay.forged.sent}` : undefined,
    },
  ];
}

/** @param {LoadOptions} options */
async function functionsFramework(options) {
  const template = join(root, 'templates/sms-auto-reply/gcp/src/index.ts');
  const entries = {
    guarded: (await bundle(template, 'load-gcp-guarded')).file,
    bare: (await bundle(join(root, 'scripts/bench/entries/gcp-bare.mjs'), 'load-gcp-bare')).file,
    twilioWay: (await bundle(join(root, 'scripts/bench/entries/gcp-twilio.mjs'), 'load-gcp-twilio')).file,
  };
  /** @type {Record<string, Target>} */
  const variants = {};
  /** @type {import('./lib/server-process.mjs').RunningServer[]} */
  const servers = [];
  try {
    for (const [variant, file] of Object.entries(entries)) {
      const server = await startServer({
        command: process.execPath,
        args: [join(root, 'scripts/bench/servers/functions-framework.cjs'), file, 'sms'],
        cwd: root,
        env: { ...baseEnv, TWILIO_AUTH_TOKEN: AUTH_TOKEN },
        ready: (output) => /listening (http:\/\/\S+)/.exec(output)?.[1],
      });
      servers.push(server);
      // Inference on Cloud Functions: https + the Host header + the path; the requests carry a run.app Host.
      variants[variant] = { url: `${server.origin}/`, signedUrl: `https://${GCP_HOST}/`, host: GCP_HOST, pid: server.pid };
    }
    return await loadServer('Functions Framework', variants, options);
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
  }
}

/** @param {LoadOptions} options */
async function serverlessOffline(options) {
  const [httpPort, lambdaPort] = [await freePort(), await freePort()];
  const origin = `http://127.0.0.1:${httpPort}`;
  const server = await startServer({
    command: process.execPath,
    args: [
      join(root, 'node_modules/osls/bin/serverless.js'),
      'offline',
      'start',
      '--host',
      '127.0.0.1',
      '--httpPort',
      String(httpPort),
      '--lambdaPort',
      String(lambdaPort),
    ],
    cwd: join(root, 'scripts/bench/offline'),
    env: {
      ...baseEnv,
      AWS_ACCESS_KEY_ID: 'x',
      AWS_SECRET_ACCESS_KEY: 'y',
      AWS_REGION: 'us-east-1',
      SLS_TELEMETRY_DISABLED: '1',
      SLS_NOTIFICATIONS_MODE: 'off',
      BENCH_TWILIO_AUTH_TOKEN: AUTH_TOKEN,
      BENCH_PUBLIC_BASE_URL: origin,
    },
    ready: (output) => (output.includes('Server ready:') ? origin : undefined),
    timeoutMs: 90_000,
  });
  try {
    // The common-way handler builds https://<Host><rawPath> (as on AWS), so that is what Twilio would have signed.
    const host = `127.0.0.1:${httpPort}`;
    return await loadServer(
      'serverless offline',
      {
        guarded: { url: `${origin}/sms`, signedUrl: `${origin}/sms`, pid: server.pid },
        bare: { url: `${origin}/bare`, signedUrl: `${origin}/bare`, pid: server.pid },
        twilioWay: { url: `${origin}/common`, signedUrl: `https://${host}/common`, pid: server.pid },
      },
      options,
    );
  } finally {
    await server.stop();
  }
}

/**
 * @param {Partial<LoadOptions>} [options]
 * @returns {Promise<import('./lib/table.mjs').Section>}
 */
export async function run({ duration = 5, connections = 10 } = {}) {
  const options = { duration, connections };
  const rows = [...(await functionsFramework(options)), ...(await serverlessOffline(options))];
  return {
    title: 'Load: sms-auto-reply under the local platform servers (autocannon)',
    baselineLabel: 'bare handler (no guard)',
    rows,
    notes: [
      `autocannon, ${connections} connections, POST of a signed 12-parameter SMS form: valid traffic ${duration} s per variant in 5 runs alternating guarded/bare/common way (after a 1 s warm-up), forged traffic (signed with another token) ${(duration / 5).toFixed(1)} s per variant; requests/s over the whole run, p99 the median of the runs'. autocannon runs on the same 2 shared cores as the server.`,
      'Functions Framework 5 (its getServer, bound to 127.0.0.1) with the template bundled by esbuild; serverless offline = osls 4 + serverless-offline 14 with serverless-esbuild, HTTP API events: it runs each function in worker threads (one per concurrent request, each with its own cold JIT) and its own per-invocation work dominates its figures, which vary most between runs.',
      "Server CPU per request = the server process's CPU time (/proc, all threads) during the valid runs ÷ requests answered: steadier than requests/s when autocannon, the server and other jobs share 2 cores.",
      'The bare baseline answers forged traffic with 2xx by design: it shows what the guard stops. The common way (notes) is the template written with twilio@6.2.0 (`scripts/bench/entries/*-twilio.mjs`).',
    ],
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { formatText } = await import('./lib/table.mjs');
  console.log(formatText(await run()));
}

// The web build (WebCrypto; what Workers, Vercel Edge, Deno and Bun load) beside the Node build:
// the minified, strict esbuild bundle of a `@twiml-guard/fetch` worker (fetch + core), and the CPU
// cost of a signed 12-field SMS webhook through `twilioWebhook` (Request in, Response out) and
// through validateRequest / validateRequestAsync, both builds measured in this Node process (which
// has WebCrypto), interleaved. Run `npm run build` first (measures dist/, not src/).
import { build } from 'esbuild';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { cpuMicrosPerCall, kilobytes, us } from './lib/stats.mjs';
import { AUTH_TOKEN, FORM_CONTENT_TYPE, SMS_FORM, SMS_PARAMS, signature } from './lib/webhook-fixture.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const outDir = join(root, 'node_modules/.cache/twiml-guard-bench');
const TARGET_WEB_BUNDLE_BYTES = 12 * 1024;
const URL = 'https://hooks.example.com/sms';

/** A Worker as a user writes one; the token is passed, the logger silenced (the bench sends only valid requests). */
const WORKER = `import { twilioWebhook } from '@twiml-guard/fetch';
const silent = { info() {}, warn() {}, error() {} };
export default { fetch: twilioWebhook(() => '<Response/>', { authToken: ${JSON.stringify(AUTH_TOKEN)}, logger: silent }) };
`;

/** @type {Record<'web' | 'node', import('esbuild').BuildOptions>} */
const BUILDS = {
  web: { platform: 'neutral', conditions: ['workerd', 'worker', 'browser'], mainFields: ['module', 'main'] },
  node: { platform: 'node', conditions: [], mainFields: ['module', 'main'] },
};

/**
 * @param {keyof typeof BUILDS} name
 * @param {boolean} minify
 */
async function bundleWorker(name, minify) {
  const result = await build({
    stdin: { contents: WORKER, resolveDir: root, sourcefile: 'worker.mjs', loader: 'js' },
    bundle: true,
    minify,
    write: false,
    format: 'esm',
    target: 'es2022',
    logLevel: 'error',
    // Outside the repository's tsconfig paths: resolve the packages as an installed project does.
    tsconfigRaw: '{}',
    ...BUILDS[name],
  });
  const [output] = result.outputFiles ?? [];
  if (!output) throw new Error(`esbuild returned no ${name} bundle`);
  return output.contents;
}

/**
 * @param {keyof typeof BUILDS} name
 * @returns {Promise<{ fetch(request: Request): Promise<Response> }>}
 */
async function loadWorker(name) {
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, `worker-${name}.mjs`);
  writeFileSync(file, await bundleWorker(name, false));
  return (await import(pathToFileURL(file).href)).default;
}

function signedRequest() {
  return new Request(URL, {
    method: 'POST',
    headers: { 'content-type': FORM_CONTENT_TYPE, 'x-twilio-signature': signature(URL) },
    body: SMS_FORM,
  });
}

/**
 * @param {{ samples?: number, batch?: number }} [options]
 * @returns {Promise<import('./lib/table.mjs').Section>}
 */
export async function run({ samples = 40, batch = 100 } = {}) {
  /** @type {Record<keyof typeof BUILDS, { minified: number, gzip: number }>} filled for every build below */
  const sizes = { web: { minified: 0, gzip: 0 }, node: { minified: 0, gzip: 0 } };
  for (const name of /** @type {Array<keyof typeof BUILDS>} */ (Object.keys(BUILDS))) {
    const minified = await bundleWorker(name, true);
    sizes[name] = { minified: minified.length, gzip: gzipSync(minified).length };
  }

  const workers = { web: await loadWorker('web'), node: await loadWorker('node') };
  /** @type {Record<'web' | 'node', typeof import('@twiml-guard/core')>} the two builds share one API */
  const cores = {
    web: await import(pathToFileURL(join(root, 'packages/core/dist/web.mjs')).href),
    node: await import(pathToFileURL(join(root, 'packages/core/dist/index.mjs')).href),
  };
  if (cores.web.cryptoRuntime !== 'web' || cores.node.cryptoRuntime !== 'node')
    throw new Error('dist/web.mjs and dist/index.mjs are not the web and node builds');
  for (const [name, worker] of Object.entries(workers)) {
    const response = await worker.fetch(signedRequest());
    if (response.status !== 200)
      throw new Error(`the ${name} worker refused the benchmark request (${response.status}): the bench is wrong`);
  }
  const sig = signature(URL);
  if (
    !cores.node.validateRequest(AUTH_TOKEN, sig, URL, SMS_PARAMS) ||
    !(await cores.web.validateRequestAsync(AUTH_TOKEN, sig, URL, SMS_PARAMS))
  ) {
    throw new Error('a build refused the benchmark signature: the bench is wrong');
  }

  const options = { samples, batch };
  /** @typedef {'nodeFetch' | 'webFetch' | 'nodeValidate' | 'webValidate'} CostKey */
  /** @type {Partial<Record<CostKey, number>>} */
  const cost = {};
  // Interleaved, twice, so load drifts on the shared machine hit both builds alike; the lower of the two.
  for (let pass = 0; pass < 2; pass++) {
    for (const [key, fn] of /** @type {Array<[CostKey, () => Promise<unknown>]>} */ ([
      ['nodeFetch', () => workers.node.fetch(signedRequest()).then((response) => response.text())],
      ['webFetch', () => workers.web.fetch(signedRequest()).then((response) => response.text())],
      ['nodeValidate', async () => cores.node.validateRequest(AUTH_TOKEN, sig, URL, SMS_PARAMS)],
      ['webValidate', () => cores.web.validateRequestAsync(AUTH_TOKEN, sig, URL, SMS_PARAMS)],
    ])) {
      const micros = await cpuMicrosPerCall(fn, options);
      cost[key] = Math.min(cost[key] ?? Infinity, micros);
    }
  }
  const ops = (/** @type {number | undefined} */ micros = NaN) =>
    `${Math.round(1e6 / micros).toLocaleString('en-US')} ops/s (${us(micros)})`;
  return {
    title: 'Web build (WebCrypto) beside the Node build (node:crypto)',
    baselineLabel: 'Node build',
    rows: [
      {
        metric: 'minified strict esbuild bundle of a twilioWebhook worker (fetch + core), gzip in brackets',
        twimlGuard: `${kilobytes(sizes.web.minified)} (${kilobytes(sizes.web.gzip)})`,
        baseline: `${kilobytes(sizes.node.minified)} (${kilobytes(sizes.node.gzip)})`,
        target: `<= ${kilobytes(TARGET_WEB_BUNDLE_BYTES)} minified`,
        met: sizes.web.minified <= TARGET_WEB_BUNDLE_BYTES,
      },
      {
        metric: `twilioWebhook, signed 12-field SMS Request → Response (CPU, ${samples * batch} calls)`,
        twimlGuard: ops(cost.webFetch),
        baseline: ops(cost.nodeFetch),
        target: `(no target; web at ${(((cost.nodeFetch ?? NaN) / (cost.webFetch ?? NaN)) * 100).toFixed(0)}% of Node's rate)`,
      },
      {
        metric: 'validateRequestAsync (web) vs validateRequest (Node), same webhook',
        twimlGuard: ops(cost.webValidate),
        baseline: ops(cost.nodeValidate),
        target: `(no target; web at ${(((cost.nodeValidate ?? NaN) / (cost.webValidate ?? NaN)) * 100).toFixed(0)}% of Node's rate)`,
      },
    ],
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { title, rows } = await run();
  console.log(title);
  console.table(rows);
}

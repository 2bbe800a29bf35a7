// Bundle size and cold import time of the same Lambda webhook written two ways:
// with @twiml-guard/aws-lambda + a TwiML string, and with `twilio` (validateRequest + MessagingResponse).
// Both bundled by esbuild (minified, platform node, @aws-sdk/* external, as on the Lambda runtime);
// import time is measured in fresh node processes, median of RUNS. Run: node scripts/bench/aws-bundle.mjs
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const outDir = join(root, 'node_modules/.cache/twiml-guard-bench');
const RUNS = 11;

const ENTRIES = {
  // The floor: any HMAC validator loads node:crypto, about 10 ms of a fresh process's first require.
  'node:crypto only (floor)': `module.exports = require('node:crypto');`,
  'twiml-guard': `
import { twilioWebhook } from '@twiml-guard/aws-lambda';
export const handler = twilioWebhook(() => '<?xml version="1.0" encoding="UTF-8"?><Response><Message>Thanks!</Message></Response>');
`,
  twilio: `
import twilio from 'twilio';
export const handler = async (event) => {
  const headers = Object.fromEntries(Object.entries(event.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  const raw = event.isBase64Encoded ? Buffer.from(event.body ?? '', 'base64').toString('utf8') : event.body ?? '';
  const params = Object.fromEntries(new URLSearchParams(raw));
  const url = 'https://' + headers.host + (event.requestContext?.path ?? event.rawPath);
  if (!twilio.validateRequest(process.env.TWILIO_AUTH_TOKEN, headers['x-twilio-signature'], url, params)) {
    return { statusCode: 403, body: 'Forbidden' };
  }
  const response = new twilio.twiml.MessagingResponse();
  response.message('Thanks!');
  return { statusCode: 200, headers: { 'content-type': 'text/xml' }, body: response.toString() };
};
`,
};

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function importMs(file) {
  const script = `const t=process.hrtime.bigint();require(${JSON.stringify(file)});process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))`;
  return Number(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }));
}

export async function run({ runs = RUNS } = {}) {
  if (!existsSync(join(root, 'packages/aws-lambda/dist/index.cjs'))) {
    execFileSync(process.execPath, [join(root, 'scripts/build.mjs')], { cwd: root, stdio: 'inherit' });
  }
  mkdirSync(outDir, { recursive: true });
  const rows = [];
  for (const [name, contents] of Object.entries(ENTRIES)) {
    const outfile = join(outDir, `${name.replace(/[^a-z0-9-]+/gi, '_')}.cjs`);
    await build({
      stdin: { contents, resolveDir: root, sourcefile: `${name}-handler.mjs`, loader: 'js' },
      bundle: true,
      minify: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      external: ['@aws-sdk/*'],
      outfile,
      logLevel: 'error',
    });
    const bytes = readFileSync(outfile);
    importMs(outfile); // warm the file system cache; not counted
    const times = Array.from({ length: runs }, () => importMs(outfile));
    rows.push({ name, bytes: bytes.length, gzipBytes: gzipSync(bytes, { level: 9 }).length, importMsMedian: Number(median(times).toFixed(2)), runs });
  }
  return rows;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const rows = await run();
  console.table(rows);
  const [, ours, theirs] = rows;
  const sizeRatio = theirs.bytes / ours.bytes;
  const timeRatio = theirs.importMsMedian / ours.importMsMedian;
  console.log(`bundle: 1/${sizeRatio.toFixed(1)} of twilio's; cold import: 1/${timeRatio.toFixed(1)} (target: 1/20 or better on both)`);
}

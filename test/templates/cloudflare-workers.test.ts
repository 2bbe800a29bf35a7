/**
 * Every template's cloudflare/ folder in workerd (the Workers runtime, through Miniflare), after its
 * own bundle script, with its wrangler.toml's compatibility date and flags (none) and the token as
 * a binding, as `wrangler secret put` provides it: signed requests get the template's answer,
 * forged ones 403, unsigned ones 400.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { Miniflare } from 'miniflare';
import { ensurePackagesBuilt, runScript, TEMPLATES_DIR } from './support/bundle-scripts.js';
import { outputMatching } from './support/processes.js';
import { sendTo, signFor } from './support/send-signed.js';
import { AUTH_TOKEN, FORGED_TOKEN, FORWARD_TO, rowsFor, TEMPLATE_CASES } from './support/template-cases.js';

interface Running {
  readonly miniflare: Miniflare;
  readonly port: number;
  output: string;
}
const workers = new Map<string, Running>();

/** `compatibility_date` and `compatibility_flags` as wrangler reads them from wrangler.toml. */
function compatibilityOf(dir: string): { compatibilityDate: string; compatibilityFlags: string[] } {
  const toml = readFileSync(join(dir, 'wrangler.toml'), 'utf8');
  const date = /^compatibility_date\s*=\s*"([0-9-]+)"/m.exec(toml)?.[1];
  if (!date) throw new Error(`${dir}/wrangler.toml has no compatibility_date`);
  const flags = /^compatibility_flags\s*=\s*\[(.*)\]/m.exec(toml)?.[1];
  return { compatibilityDate: date, compatibilityFlags: flags ? [...flags.matchAll(/"([^"]+)"/g)].map((match) => match[1]!) : [] };
}

beforeAll(async () => {
  ensurePackagesBuilt();
  const { Log, LogLevel, Miniflare } = await import('miniflare');
  for (const { template } of TEMPLATE_CASES) {
    const dir = join(TEMPLATES_DIR, template, 'cloudflare');
    // In the repository esbuild would pick up the root tsconfig.json for the packages' dist files, whose
    // `paths` point @twiml-guard/* at the Node sources; the template's own tsconfig is what a project has.
    runScript(dir, 'bundle', undefined, [`--tsconfig=${join(TEMPLATES_DIR, template, 'tsconfig.json')}`]);
    const running = { output: '' } as Running & { output: string };
    class CapturingLog extends Log {
      override log(message: string): void {
        running.output += `${message}\n`;
      }
    }
    const miniflare = new Miniflare({
      modules: true,
      scriptPath: join(dir, 'dist/index.js'),
      ...compatibilityOf(dir),
      bindings: { TWILIO_AUTH_TOKEN: AUTH_TOKEN, FORWARD_TO },
      host: '127.0.0.1',
      port: 0,
      log: new CapturingLog(LogLevel.INFO),
      handleRuntimeStdio(stdout: Readable, stderr: Readable) {
        stdout.on('data', (chunk: Buffer) => (running.output += chunk.toString()));
        stderr.on('data', (chunk: Buffer) => (running.output += chunk.toString()));
      },
    });
    const url = await miniflare.ready;
    workers.set(template, Object.assign(running, { miniflare, port: Number(url.port) }));
  }
}, 120_000);

afterAll(async () => {
  for (const { miniflare } of workers.values()) await miniflare.dispose();
});

it('every wrangler.toml runs without nodejs_compat', () => {
  for (const { template } of TEMPLATE_CASES)
    expect(compatibilityOf(join(TEMPLATES_DIR, template, 'cloudflare')).compatibilityFlags).toEqual([]);
});

const base = (template: string): string =>
  `http://127.0.0.1:${workers.get(template)!.port}${TEMPLATE_CASES.find((c) => c.template === template)?.path}`;

describe.each(rowsFor('cloudflare'))('%s on workerd (Miniflare): %s', (template, _label, _case, request) => {
  it('answers the signed request', async () => {
    const answer = await sendTo(workers.get(template)!.port, signFor(base(template) + request.subPath, request.payload, AUTH_TOKEN));
    request.expectAnswer(answer, base(template));
    if (request.logLine) expect(await outputMatching(() => workers.get(template)!.output, request.logLine)).toMatch(request.logLine);
  });

  it('refuses it forged (403) and unsigned (400)', async () => {
    const url = base(template) + request.subPath;
    const forged = await sendTo(workers.get(template)!.port, signFor(url, request.payload, FORGED_TOKEN));
    const unsigned = await sendTo(workers.get(template)!.port, signFor(url, request.payload, AUTH_TOKEN), ['x-twilio-signature']);
    expect([forged.status, unsigned.status]).toEqual([403, 400]);
    expect(forged.body).not.toMatch(/Response|reply/);
  });
});

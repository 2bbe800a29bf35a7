/**
 * Every template's gcp/ folder through the real Functions Framework CLI (`functions-framework
 * --target=<fn> --source=dist/index.js`, as its README starts it), after its own bundle script:
 * signed requests get the template's answer, forged ones 403, unsigned ones 400.
 */
import { join } from 'node:path';
import { ensurePackagesBuilt, ROOT, runScript, TEMPLATES_DIR } from './support/bundle-scripts.js';
import { freePort, outputMatching, ProcessGroup, type Started } from './support/processes.js';
import { sendTo, signFor } from './support/send-signed.js';
import { AUTH_TOKEN, FORGED_TOKEN, FORWARD_TO, rowsFor, TEMPLATE_CASES } from './support/template-cases.js';

const processes = new ProcessGroup();
const ports = new Map<string, number>();
const outputs = new Map<string, Started['output']>();

beforeAll(async () => {
  ensurePackagesBuilt();
  await Promise.all(
    TEMPLATE_CASES.map(async ({ template, fn }) => {
      const dir = join(TEMPLATES_DIR, template, 'gcp');
      runScript(dir, 'bundle');
      const port = await freePort();
      const started = await processes.start(
        process.execPath,
        [
          join(ROOT, 'node_modules/@google-cloud/functions-framework/build/src/main.js'),
          `--target=${fn}`,
          '--source=dist/index.js',
          `--port=${port}`,
        ],
        { cwd: dir, env: { PATH: process.env.PATH ?? '', TWILIO_AUTH_TOKEN: AUTH_TOKEN, FORWARD_TO, HOST: '127.0.0.1' } },
        'Serving function',
      );
      ports.set(template, port);
      outputs.set(template, started.output);
    }),
  );
}, 60_000);

afterAll(() => processes.stopAll());

// The Framework serves the function on every path; the template's path stands in for gen2's /<function-name>.
const base = (template: string): string =>
  `http://127.0.0.1:${ports.get(template)}${TEMPLATE_CASES.find((c) => c.template === template)?.path}`;

describe.each(rowsFor('gcp'))('%s on the Functions Framework: %s', (template, _label, _case, request) => {
  it('answers the signed request', async () => {
    const answer = await sendTo(ports.get(template)!, signFor(base(template) + request.subPath, request.payload, AUTH_TOKEN));
    request.expectAnswer(answer, base(template));
    if (request.logLine) expect(await outputMatching(outputs.get(template)!, request.logLine)).toMatch(request.logLine);
  });

  it('refuses it forged (403) and unsigned (400)', async () => {
    const url = base(template) + request.subPath;
    const forged = await sendTo(ports.get(template)!, signFor(url, request.payload, FORGED_TOKEN));
    const unsigned = await sendTo(ports.get(template)!, signFor(url, request.payload, AUTH_TOKEN), ['x-twilio-signature']);
    expect([forged.status, unsigned.status]).toEqual([403, 400]);
    expect(forged.body).not.toMatch(/Response|reply/);
  });
});

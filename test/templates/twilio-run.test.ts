/**
 * Every template's twilio/ folder through twilio-run 5.0.1 (the local Twilio Runtime, with the
 * folder's pinned @twilio/runtime-handler), after its own bundle script wrote functions/*.protected.js.
 * twilio-run does not enforce Protected locally, so the 403s here come from the functions themselves.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { studioJsonPreset } from '@twiml-guard/testing';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIND_LOOPBACK_PRELOAD } from '@twiml-guard/test-support/loopback';
import { ensurePackagesBuilt, ROOT, runScript, TEMPLATES_DIR } from './support/bundle-scripts.js';
import { freePort, outputMatching, ProcessGroup, type Started } from './support/processes.js';
import { sendTo, signFor } from './support/send-signed.js';
import { AUTH_TOKEN, FORGED_TOKEN, FORWARD_TO, rowsFor, TEMPLATE_CASES } from './support/template-cases.js';

const processes = new ProcessGroup();
const served = new Map<string, { port: number; started: Started }>();
const scratch = mkdtempSync(join(tmpdir(), 'twiml-guard-twilio-run-'));
const ACCOUNT_SID = `AC${'1'.repeat(32)}`;

beforeAll(async () => {
  ensurePackagesBuilt();
  // twilio-run's --env file: what a user's .env holds locally (never inside the template folder).
  const envFile = join(scratch, '.env');
  writeFileSync(envFile, `ACCOUNT_SID=${ACCOUNT_SID}\nAUTH_TOKEN=${AUTH_TOKEN}\nFORWARD_TO=${FORWARD_TO}\n`);
  await Promise.all(
    TEMPLATE_CASES.map(async ({ template, path }) => {
      const dir = join(TEMPLATES_DIR, template, 'twilio');
      runScript(dir, 'bundle');
      const port = await freePort();
      const started = await processes.start(
        process.execPath,
        [
          '-r',
          BIND_LOOPBACK_PRELOAD,
          join(ROOT, 'node_modules/twilio-run/bin/twilio-run.js'),
          'start',
          '--port',
          String(port),
          '--env',
          envFile,
          '--fork-process=false',
        ],
        { cwd: dir, env: { PATH: process.env.PATH ?? '', NO_UPDATE_NOTIFIER: '1', CI: 'true', FORCE_COLOR: '0' } },
        `localhost:${port}${path}`,
      );
      served.set(template, { port, started });
    }),
  );
}, 60_000);

afterAll(async () => {
  await processes.stopAll();
  rmSync(scratch, { recursive: true, force: true });
});

// twilio-run's context: DOMAIN_NAME localhost:<port>, plain http.
const base = (template: string): string =>
  `http://localhost:${served.get(template)?.port}${TEMPLATE_CASES.find((c) => c.template === template)?.path}`;

describe.each(rowsFor('twilio'))('%s on twilio-run: %s', (template, _label, _case, request) => {
  it('answers the signed request', async () => {
    const answer = await sendTo(served.get(template)!.port, signFor(base(template) + request.subPath, request.payload, AUTH_TOKEN));
    request.expectAnswer(answer, base(template));
    if (request.logLine) expect(await outputMatching(served.get(template)!.started.output, request.logLine)).toMatch(request.logLine);
  });

  it('refuses it forged (403) and unsigned (400)', async () => {
    const url = base(template) + request.subPath;
    const forged = await sendTo(served.get(template)!.port, signFor(url, request.payload, FORGED_TOKEN));
    const unsigned = await sendTo(served.get(template)!.port, signFor(url, request.payload, AUTH_TOKEN), ['x-twilio-signature']);
    expect([forged.status, unsigned.status]).toEqual([403, 400]);
    expect(forged.body).not.toMatch(/Response|reply/);
  });
});

describe('JSON webhooks on Twilio Functions', () => {
  it.each(['sms-auto-reply', 'studio-json-webhook'])(
    '%s: 415 locally, the Runtime keeps no raw body to check bodySHA256 against (README says so)',
    async (template) => {
      const answer = await sendTo(served.get(template)!.port, signFor(base(template), { json: studioJsonPreset() }, AUTH_TOKEN));
      expect(answer.status).toBe(415);
      expect(served.get(template)!.started.output()).toContain('JSON webhook');
    },
  );
});

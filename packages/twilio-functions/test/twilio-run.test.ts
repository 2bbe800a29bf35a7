/**
 * End to end through the real local Runtime: twilio-run 5.0.1 serving test/fixture-project, whose
 * package.json pins @twilio/runtime-handler 2.1.0 (so event.request.headers exists), with functions
 * that require the BUILT adapter. Requests are signed with the `twilio` package for the URL the
 * local Runtime reports (http://localhost:PORT + path).
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import twilio from 'twilio';
import { BIND_LOOPBACK_PRELOAD, freePort } from '@twiml-guard/test-support/loopback';
import { ACCOUNT_SID, AUTH_TOKEN, smsParams } from './helpers';

const root = join(__dirname, '../../..');
const project = join(__dirname, 'fixture-project');
const twilioRunBin = join(root, 'node_modules/twilio-run/bin/twilio-run.js');

interface Served {
  readonly child: ChildProcess;
  readonly port: number;
  readonly output: () => string;
}

/** Every process started, so none outlives the file even if it never became ready. */
const started: ChildProcess[] = [];

async function startTwilioRun(extraArgs: string[] = []): Promise<Served> {
  const port = await freePort();
  const child = spawn(process.execPath, ['-r', BIND_LOOPBACK_PRELOAD, twilioRunBin, 'start', '--port', String(port), ...extraArgs], {
    cwd: project,
    env: { PATH: process.env.PATH ?? '', NO_UPDATE_NOTIFIER: '1', CI: 'true', FORCE_COLOR: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(child);
  let output = '';
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(`localhost:${port}/sms`)) resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`twilio-run exited with ${code}:\n${output}`)));
  });
  await ready;
  return { child, port, output: () => output };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

function post(
  served: Served,
  path: string,
  body: string,
  headers: Record<string, string>,
): Promise<{ status: number; contentType: string | null; text: string }> {
  return fetch(`http://127.0.0.1:${served.port}${path}`, { method: 'POST', headers, body }).then(async (response) => ({
    status: response.status,
    contentType: response.headers.get('content-type'),
    text: await response.text(),
  }));
}

const form = (params: Record<string, string>): string => new URLSearchParams(params).toString();
const FORM = 'application/x-www-form-urlencoded';

beforeAll(() => {
  if (!existsSync(join(root, 'packages/twilio-functions/dist/index.cjs')) || !existsSync(join(root, 'packages/core/dist/index.cjs'))) {
    execFileSync(process.execPath, [join(root, 'scripts/build.mjs')], { cwd: root, stdio: 'inherit' });
  }
  // A throwaway token for the local Runtime's context.AUTH_TOKEN; never committed (.gitignore).
  writeFileSync(join(project, '.env'), `ACCOUNT_SID=${ACCOUNT_SID}\nAUTH_TOKEN=${AUTH_TOKEN}\n`);
});

afterAll(async () => {
  await Promise.all(started.map(stop));
  rmSync(join(project, '.env'), { force: true });
});

describe('twilio-run 5.0.1 with @twilio/runtime-handler 2.1.0 (--fork-process=false)', () => {
  let served: Served | undefined;
  beforeAll(async () => {
    served = await startTwilioRun(['--fork-process=false']);
  });
  afterAll(() => (served ? stop(served.child) : undefined));

  const signed = (path: string, params: Record<string, string>, token = AUTH_TOKEN) => ({
    'content-type': FORM,
    'x-twilio-signature': twilio.getExpectedTwilioSignature(token, `http://localhost:${served?.port}${path}`, params),
  });

  it('answers a signed request with TwiML from the guarded function', async () => {
    const params = smsParams();
    const response = await post(served!, '/sms', form(params), signed('/sms', params));
    expect(response.status).toBe(200);
    expect(response.contentType).toBe('text/xml; charset=utf-8');
    expect(response.text).toBe(
      `<?xml version="1.0" encoding="UTF-8"?><Response><Message>You said: Ça va? O'Hara &amp; co = 100% 😀</Message></Response>`,
    );
  });

  it('refuses a forged signature with 403 and a missing one with 400', async () => {
    const params = smsParams();
    const forged = await post(served!, '/sms', form(params), signed('/sms', params, 'f'.repeat(32)));
    const tampered = await post(served!, '/sms', form({ ...params, Body: 'send money' }), signed('/sms', params));
    const missing = await post(served!, '/sms', form(params), { 'content-type': FORM });
    expect([forged.status, tampered.status, missing.status]).toEqual([403, 403, 400]);
    expect(forged.text).not.toContain('Response');
  });

  it('is the only check on a .protected function locally (the local Runtime does not enforce Protected)', async () => {
    const params = smsParams();
    const forged = await post(served!, '/voice', form(params), {
      'content-type': FORM,
      'x-twilio-signature': 'bm90IGEgcmVhbCBzaWduYXR1cmUhISE=',
    });
    const ok = await post(served!, '/voice', form(params), signed('/voice', params));
    expect(forged.status).toBe(403);
    expect(ok.status).toBe(200);
    expect(ok.text).toContain('<Say>Signed call accepted</Say>');
  });

  it('runs an existing function behind withTwilioSignature only for signed requests', async () => {
    const params = smsParams();
    const ok = await post(served!, '/wrapped', form(params), signed('/wrapped', params));
    const forged = await post(served!, '/wrapped', form(params), signed('/wrapped', { ...params, From: '+1999' }));
    expect(ok.status).toBe(200);
    expect(ok.text).toContain('<Message>Wrapped reply to +15551230000</Message>');
    expect(forged.status).toBe(403);
  });

  it('cannot verify a webhook URL with its own query (the Runtime merges it into event) and logs why', async () => {
    const params = smsParams();
    const response = await post(served!, '/sms?tenant=acme', form(params), signed('/sms?tenant=acme', params));
    expect(response.status).toBe(403);
    expect(served!.output()).toContain('not Twilio parameters (tenant)');
  });

  it('refuses a JSON webhook with 415: the Runtime keeps no raw body to check bodySHA256 against', async () => {
    const body = JSON.stringify({ AccountSid: ACCOUNT_SID, flow_sid: 'FW1' });
    const path = `/sms?bodySHA256=${createHash('sha256').update(body).digest('hex')}`;
    const signature = twilio.getExpectedTwilioSignature(AUTH_TOKEN, `http://localhost:${served?.port}${path}`, {});
    const response = await post(served!, path, body, { 'content-type': 'application/json', 'x-twilio-signature': signature });
    expect(response.status).toBe(415);
  });
});

describe('twilio-run 5.0.1 forking a process per request (its default, closer to production isolation)', () => {
  let served: Served | undefined;
  beforeAll(async () => {
    served = await startTwilioRun();
  });
  afterAll(() => (served ? stop(served.child) : undefined));

  it('answers signed and refuses forged requests', async () => {
    const params = smsParams();
    const url = `http://localhost:${served?.port}/sms`;
    const ok = await post(served!, '/sms', form(params), {
      'content-type': FORM,
      'x-twilio-signature': twilio.getExpectedTwilioSignature(AUTH_TOKEN, url, params),
    });
    const forged = await post(served!, '/sms', form(params), {
      'content-type': FORM,
      'x-twilio-signature': twilio.getExpectedTwilioSignature('0'.repeat(32), url, params),
    });
    expect(ok.status).toBe(200);
    expect(ok.text).toContain('<Message>You said: ');
    expect(forged.status).toBe(403);
  });
});

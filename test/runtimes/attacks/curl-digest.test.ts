/**
 * Digest auth end to end on the web build, answered by a real HTTP client: `curl --digest` (its own
 * MD5, its own challenge parsing) against Bun and edge-runtime serving the fetch handler, with a
 * non-ASCII password (MD5 over its UTF-8 bytes on both sides) and a Twilio signature on the request.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { signedFormRequest, smsParams } from '@twiml-guard/test-support/signed-request';
import { startBun, startEdgeRuntime, type RunningApp } from '../support/servers';
import { appConfig } from '../support/webhook-cases';

jest.setTimeout(120_000);
const run = promisify(execFile);

async function curlDigest(app: RunningApp, token: string, username: string, password: string): Promise<{ status: string; body: string }> {
  const request = signedFormRequest({ token, url: `${app.url}/digest`, params: smsParams({ Body: 'digest ü' }) });
  const headers = Object.entries(request.headers as Record<string, string>).flatMap(([name, value]) => ['-H', `${name}: ${value}`]);
  const { stdout } = await run('curl', [
    '-sS',
    '--digest',
    '-u',
    `${username}:${password}`,
    ...headers,
    '--data-binary',
    String(request.body),
    '-w',
    '\n%{http_code}',
    request.url,
  ]);
  const lines = stdout.split('\n');
  return { status: lines.pop() ?? '', body: lines.join('\n') };
}

describe.each([
  ['bun', startBun],
  ['edge-runtime', startEdgeRuntime],
] as const)('curl --digest against %s', (_name, start) => {
  const config = { ...appConfig(), password: 'pässwörd-密码-😀' };
  let app: RunningApp;
  beforeAll(async () => {
    app = await start(config);
  });
  afterAll(() => app?.stop());

  test('the right (non-ASCII) password: 200 with TwiML', async () => {
    const answered = await curlDigest(app, config.token, config.username, config.password);
    expect(answered.status).toBe('200');
    expect(answered.body).toContain('<Message>echo: digest ü</Message>');
  });

  test('a password differing in one astral character: 401', async () => {
    expect((await curlDigest(app, config.token, config.username, 'pässwörd-密码-😁')).status).toBe('401');
  });

  test('the right password on a request signed with another token: 403', async () => {
    expect((await curlDigest(app, 'f'.repeat(32), config.username, config.password)).status).toBe('403');
  });
});

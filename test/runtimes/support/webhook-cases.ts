/**
 * What every runtime must do with real HTTP requests, signed in this (Node) process by the `twilio`
 * package: the oracle, never our own signer.
 */
import { createHash, randomBytes } from 'node:crypto';
import { encodeForm, signedFormRequest, signedJsonRequest, smsParams } from '@twiml-guard/test-support/signed-request';
import type { AppConfig } from '../fixtures/app';
import type { RunningApp } from './servers';

export function appConfig(): AppConfig {
  return { token: randomBytes(16).toString('hex'), username: 'twilio', password: `pw-${randomBytes(6).toString('hex')}` };
}

export type Sendable = { method: string; url: string; headers: Record<string, unknown>; body: string | Uint8Array };

/** Sends `request` with fetch: its string-valued headers, then `extraHeaders`. */
export async function send(
  request: Sendable,
  extraHeaders: Record<string, string> = {},
): Promise<{ status: number; text: string; headers: Headers }> {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) if (typeof value === 'string') headers.set(name, value);
  for (const [name, value] of Object.entries(extraHeaders)) headers.set(name, value);
  const response = await fetch(request.url, { method: request.method, headers, body: request.body as BodyInit });
  return { status: response.status, text: await response.text(), headers: response.headers };
}

function md5(text: string): string {
  return createHash('md5').update(text).digest('hex');
}

/** The Authorization header an HTTP client (and Twilio) answers an MD5 Digest challenge with. */
function digestAuthorization(challenge: string, config: AppConfig, method: string, uri: string): string {
  const field = (name: string) => new RegExp(`${name}="?([^",]+)"?`).exec(challenge)?.[1] ?? '';
  const realm = field('realm');
  const nonce = field('nonce');
  const opaque = field('opaque');
  const cnonce = randomBytes(8).toString('hex');
  const nc = '00000001';
  const ha1 = md5(`${config.username}:${realm}:${config.password}`);
  const ha2 = md5(`${method}:${uri}`);
  const response = md5(`${ha1}:${nonce}:${nc}:${cnonce}:auth:${ha2}`);
  return `Digest username="${config.username}", realm="${realm}", nonce="${nonce}", uri="${uri}", algorithm=MD5, qop=auth, nc=${nc}, cnonce="${cnonce}", response="${response}", opaque="${opaque}"`;
}

/** The cases, as jest tests; `app()` is the running app (started in the caller's beforeAll). */
export function describeWebhookCases(app: () => RunningApp, config: AppConfig): void {
  const url = (path: string) => `${app().url}${path}`;

  test('a signed form webhook: 200 with TwiML', async () => {
    const response = await send(
      signedFormRequest({ token: config.token, url: url('/form'), params: smsParams({ Body: 'hello edge ünï 👋' }) }),
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/xml; charset=utf-8');
    expect(response.text).toBe('<?xml version="1.0" encoding="UTF-8"?><Response><Message>echo: hello edge ünï 👋</Message></Response>');
  });

  test('a forged signature (another token): 403', async () => {
    const response = await send(signedFormRequest({ token: 'f'.repeat(32), url: url('/form'), params: smsParams() }));
    expect(response.status).toBe(403);
  });

  test('a tampered body: 403', async () => {
    const params = smsParams({ Body: 'pay 1 USD' });
    const response = await send(
      signedFormRequest({ token: config.token, url: url('/form'), params, body: encodeForm({ ...params, Body: 'pay 1000 USD' }) }),
    );
    expect(response.status).toBe(403);
  });

  test('no X-Twilio-Signature: 400', async () => {
    const request = signedFormRequest({ token: config.token, url: url('/form'), params: smsParams() });
    const { 'x-twilio-signature': _signature, ...headers } = request.headers as Record<string, string>;
    const response = await send({ ...request, headers });
    expect(response.status).toBe(400);
  });

  test('a signed JSON webhook (bodySHA256): 200', async () => {
    const response = await send(
      signedJsonRequest({
        token: config.token,
        url: url('/json'),
        json: '{"Body":"from studio","AccountSid":"AC0123456789abcdef0123456789abcdef"}',
      }),
    );
    expect(response.status).toBe(200);
    expect(response.text).toContain('<Message>echo: from studio</Message>');
  });

  test('a JSON webhook whose body was altered after signing: 403', async () => {
    const response = await send(signedJsonRequest({ token: config.token, url: url('/json'), json: '{"Body":"a"}', body: '{"Body":"b"}' }));
    expect(response.status).toBe(403);
  });

  test('a signed body over maxBodyBytes: 413', async () => {
    const response = await send(signedFormRequest({ token: config.token, url: url('/small'), params: smsParams() }));
    expect(response.status).toBe(413);
  });

  test('Basic auth: a 401 challenge first, then 200 with the credentials', async () => {
    const request = signedFormRequest({ token: config.token, url: url('/basic'), params: smsParams() });
    const challenged = await send(request);
    expect(challenged.status).toBe(401);
    expect(challenged.headers.get('www-authenticate')).toMatch(/^Basic realm="twilio-webhook"/);
    const wrong = await send(request, { authorization: `Basic ${Buffer.from(`${config.username}:nope`).toString('base64')}` });
    expect(wrong.status).toBe(401);
    const answered = await send(request, {
      authorization: `Basic ${Buffer.from(`${config.username}:${config.password}`).toString('base64')}`,
    });
    expect(answered.status).toBe(200);
    expect(answered.text).toContain('<Message>');
  });

  test('Digest auth (MD5, as Twilio answers): a 401 challenge first, then 200 with the credentials', async () => {
    const request = signedFormRequest({ token: config.token, url: url('/digest'), params: smsParams() });
    const challenged = await send(request);
    expect(challenged.status).toBe(401);
    const challenge = challenged.headers.get('www-authenticate') ?? '';
    expect(challenge).toMatch(/^Digest realm="twilio-webhook", qop="auth", algorithm=MD5, nonce="[^"]+", opaque="[^"]+"$/);
    const wrong = await send(request, {
      authorization: digestAuthorization(challenge, { ...config, password: 'nope' }, 'POST', '/digest'),
    });
    expect(wrong.status).toBe(401);
    const answered = await send(request, { authorization: digestAuthorization(challenge, config, 'POST', '/digest') });
    expect(answered.status).toBe(200);
    expect(answered.text).toContain('<Message>');
  });

  test('no token option and no readable TWILIO_AUTH_TOKEN: 500 "Webhook misconfigured", logged, no crash', async () => {
    const response = await send(signedFormRequest({ token: config.token, url: url('/unconfigured'), params: smsParams() }));
    expect(response.status).toBe(500);
    expect(response.text).toBe('Webhook misconfigured');
  });

  test('refusals are logged with their reason, and the log never holds the token', async () => {
    await send(signedFormRequest({ token: 'e'.repeat(32), url: url('/form'), params: smsParams() }));
    // Runtimes flush their console asynchronously: wait for the line rather than for a fixed time.
    for (let attempt = 0; attempt < 50 && !app().output().includes('signature does not match'); attempt++)
      await new Promise((resolve) => setTimeout(resolve, 100));
    expect(app().output()).toContain('rejected webhook: signature does not match');
    expect(app().output()).toContain('rejected webhook: no auth token configured');
    expect(app().output()).not.toContain(config.token);
    expect(app().output()).not.toContain(config.password);
  });
}

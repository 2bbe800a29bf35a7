/**
 * Digest auth through the pipeline. Responses are computed here with node:crypto from RFC 7616's
 * formulas, not with the module under test.
 */
import { createHash } from 'node:crypto';
import { createWebhookHandler, parseDigestHeader, type WebhookRequest } from '@twiml-guard/core';
import { capturingLogger, signedFormRequest, smsParams } from '@twiml-guard/test-support';

const TOKEN = 'f00dfeedf00dfeedf00dfeedf00dfeed';
const URL = 'https://hooks.example.com/prod/sms?tenant=7';
const CREDENTIALS = { username: 'twilio', password: 'pa55 w0rd:with colon' };

function answer(
  challenge: string,
  request: WebhookRequest,
  options: { algorithm: 'MD5' | 'SHA-256'; uri: string; password?: string; nonce?: string },
): string {
  const fields = parseDigestHeader(challenge.replace(/^Digest\s+/i, 'Digest ')) ?? new Map<string, string>();
  const h = (text: string) =>
    createHash(options.algorithm === 'MD5' ? 'md5' : 'sha256')
      .update(text)
      .digest('hex');
  const realm = fields.get('realm') ?? '';
  const nonce = options.nonce ?? fields.get('nonce') ?? '';
  const cnonce = '0a4f113b';
  const nc = '00000001';
  const ha1 = h(`${CREDENTIALS.username}:${realm}:${options.password ?? CREDENTIALS.password}`);
  const ha2 = h(`${request.method}:${options.uri}`);
  const response = h(`${ha1}:${nonce}:${nc}:${cnonce}:auth:${ha2}`);
  return `Digest username="${CREDENTIALS.username}", realm="${realm}", nonce="${nonce}", uri="${options.uri}", algorithm=${options.algorithm}, qop=auth, nc=${nc}, cnonce="${cnonce}", response="${response}", opaque="${fields.get('opaque') ?? ''}"`;
}

describe.each(['MD5', 'SHA-256'] as const)('digestAuth with %s', (algorithm) => {
  const logger = capturingLogger();
  let handled = 0;
  const handle = createWebhookHandler(
    () => {
      handled += 1;
      return '<Response><Message>ok</Message></Response>';
    },
    { authToken: TOKEN, digestAuth: { ...CREDENTIALS, algorithm, realm: 'webhooks' }, logger },
  );
  beforeEach(() => {
    handled = 0;
    logger.clear();
  });

  async function challenge(): Promise<string> {
    const first = await handle(signedFormRequest({ token: TOKEN, url: URL, params: smsParams() }));
    expect(first.status).toBe(401);
    const header = first.headers['www-authenticate'] ?? '';
    expect(header).toMatch(new RegExp(`^Digest .*algorithm=${algorithm}`));
    expect(header).toContain('qop="auth"');
    return header;
  }

  test("Twilio's dance: 401 with a challenge, then 200 with credentials and a valid signature", async () => {
    const header = await challenge();
    const request = signedFormRequest({ token: TOKEN, url: URL, params: smsParams() });
    const authorization = answer(header, request, { algorithm, uri: '/prod/sms?tenant=7' });
    const second = await handle({ ...request, headers: { ...request.headers, authorization } });
    expect(second.status).toBe(200);
    expect(handled).toBe(1);
  });

  test('the absolute URL is accepted as the uri too', async () => {
    const header = await challenge();
    const request = signedFormRequest({ token: TOKEN, url: URL, params: smsParams() });
    const response = await handle({
      ...request,
      headers: { ...request.headers, authorization: answer(header, request, { algorithm, uri: URL }) },
    });
    expect(response.status).toBe(200);
  });

  test('wrong password: 401 with a fresh challenge, handler not called, password never logged', async () => {
    const header = await challenge();
    const request = signedFormRequest({ token: TOKEN, url: URL, params: smsParams() });
    const response = await handle({
      ...request,
      headers: { ...request.headers, authorization: answer(header, request, { algorithm, uri: '/prod/sms?tenant=7', password: 'guess' }) },
    });
    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toMatch(/^Digest /);
    expect(handled).toBe(0);
    expect(logger.text()).toContain('Digest auth wrong-credentials');
    expect(logger.text()).not.toContain(CREDENTIALS.password);
    expect(logger.text()).not.toContain('guess');
  });

  test("a uri that is not this request's target: 401", async () => {
    const header = await challenge();
    const request = signedFormRequest({ token: TOKEN, url: URL, params: smsParams() });
    const response = await handle({
      ...request,
      headers: { ...request.headers, authorization: answer(header, request, { algorithm, uri: '/prod/other' }) },
    });
    expect(response.status).toBe(401);
    expect(logger.text()).toContain('wrong-uri');
  });

  test('a forged nonce: 401, never 500', async () => {
    const header = await challenge();
    const request = signedFormRequest({ token: TOKEN, url: URL, params: smsParams() });
    const response = await handle({
      ...request,
      headers: {
        ...request.headers,
        authorization: answer(header, request, {
          algorithm,
          uri: '/prod/sms?tenant=7',
          nonce: `${Date.now()}.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`,
        }),
      },
    });
    expect(response.status).toBe(401);
    expect(logger.text()).toContain('bad-nonce');
  });

  test('right credentials, forged signature: 403 (the signature still runs after Digest)', async () => {
    const header = await challenge();
    const request = signedFormRequest({ token: 'not-the-token-not-the-token-0000', url: URL, params: smsParams() });
    const response = await handle({
      ...request,
      headers: { ...request.headers, authorization: answer(header, request, { algorithm, uri: '/prod/sms?tenant=7' }) },
    });
    expect(response.status).toBe(403);
    expect(handled).toBe(0);
  });

  test('malformed Authorization headers get 401 with a challenge', async () => {
    const request = signedFormRequest({ token: TOKEN, url: URL, params: smsParams() });
    for (const authorization of ['Digest', 'Digest username="twilio"', 'Bearer abc', 'Digest nonce="\u0000"', 'Basic !!!']) {
      const response = await handle({ ...request, headers: { ...request.headers, authorization } });
      expect(response.status).toBe(401);
      expect(response.headers['www-authenticate']).toMatch(/^Digest /);
    }
    expect(handled).toBe(0);
  });
});

describe('stale nonces', () => {
  test('an expired nonce with the right password gets a new challenge with stale=true', async () => {
    const handle = createWebhookHandler(() => undefined, {
      authToken: TOKEN,
      digestAuth: { ...CREDENTIALS, algorithm: 'SHA-256', nonceTtlMs: 1 },
      logger: capturingLogger(),
    });
    const request = signedFormRequest({ token: TOKEN, url: URL, params: smsParams() });
    const first = await handle(request);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const response = await handle({
      ...request,
      headers: {
        ...request.headers,
        authorization: answer(first.headers['www-authenticate'] ?? '', request, { algorithm: 'SHA-256', uri: '/prod/sms?tenant=7' }),
      },
    });
    expect(response.status).toBe(401);
    expect(parseDigestHeader(response.headers['www-authenticate'] ?? '')?.get('stale')).toBe('true');
  });
});

describe('Basic and Digest together', () => {
  test('Basic credentials are accepted; the challenge offers Digest', async () => {
    const handle = createWebhookHandler(() => undefined, {
      authToken: TOKEN,
      basicAuth: CREDENTIALS,
      digestAuth: CREDENTIALS,
      logger: capturingLogger(),
    });
    const request = signedFormRequest({ token: TOKEN, url: URL, params: smsParams() });
    expect((await handle(request)).headers['www-authenticate']).toMatch(/^Digest /);
    const basic = `Basic ${Buffer.from(`${CREDENTIALS.username}:${CREDENTIALS.password}`).toString('base64')}`;
    expect((await handle({ ...request, headers: { ...request.headers, authorization: basic } })).status).toBe(200);
  });
});

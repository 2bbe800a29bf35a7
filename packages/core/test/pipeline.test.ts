/** The webhook pipeline contract (issue 3): request in, response out, handler only for signed requests. */
import twilio from 'twilio';
import {
  createWebhookGuard,
  createWebhookHandler,
  TokenStoreUnavailableError,
  type TokenSource,
  type TwilioWebhookEvent,
  type WebhookOptions,
  type WebhookRequest,
} from '@twiml-guard/core';
import {
  accountSid,
  capturingLogger,
  captureStderr,
  encodeForm,
  FORM_CONTENT_TYPE,
  signedFormRequest,
  signedJsonRequest,
  smsParams,
  twilioSignature,
} from '@twiml-guard/test-support';

const TOKEN = '12345678901234567890123456789012';
const URL = 'https://example.com/sms';
const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>';

const ENV_NAMES = ['TWILIO_AUTH_TOKEN', 'TWILIO_AUTH_TOKEN_PENDING', 'TWILIO_WEBHOOK_URL', 'PUBLIC_BASE_URL'] as const;
const savedEnv = Object.fromEntries(ENV_NAMES.map((name) => [name, process.env[name]]));
beforeEach(() => {
  for (const name of ENV_NAMES) delete process.env[name];
});
afterAll(() => {
  for (const name of ENV_NAMES) {
    if (savedEnv[name] === undefined) delete process.env[name];
    else process.env[name] = savedEnv[name];
  }
});

/** A handler spy that records events and answers with `result`. */
function spyHandler(result: unknown = undefined) {
  return jest.fn((_event: TwilioWebhookEvent, _platform?: unknown) => result as string);
}

function setup(options: WebhookOptions = {}, result?: unknown) {
  const logger = capturingLogger();
  const handler = spyHandler(result);
  const handle = createWebhookHandler(handler, { authToken: TOKEN, logger, ...options });
  return { logger, handler, handle };
}

describe('handler event', () => {
  test('a signed form POST gives params, url, method, headers, body, accountSid and idempotencyToken', async () => {
    const { handler, handle } = setup();
    const params = smsParams({ MediaUrl0: ['https://a.example/1', 'https://a.example/2'], 'Key[nested]': 'flat' });
    const request = signedFormRequest({
      token: TOKEN,
      url: URL,
      params,
      headers: { 'i-twilio-idempotency-token': 'c77ed9e8-d13e-4e9a-b46c-a39c43956f06' },
    });
    const response = await handle(request, { platform: 'context' });
    expect(response.status).toBe(200);
    expect(handler).toHaveBeenCalledTimes(1);
    const [event, platform] = handler.mock.calls[0]!;
    expect({ ...event.params }).toEqual(params);
    expect(event.url).toBe(URL);
    expect(event.method).toBe('POST');
    expect(event.headers).toBe(request.headers);
    expect(event.body).toBe(request.body);
    expect(event.accountSid).toBe(params.AccountSid);
    expect(event.idempotencyToken).toBe('c77ed9e8-d13e-4e9a-b46c-a39c43956f06');
    expect(event).not.toHaveProperty('json');
    expect(platform).toEqual({ platform: 'context' });
  });

  test('without AccountSid or idempotency header those fields are absent', async () => {
    const { handler, handle } = setup();
    await handle(signedFormRequest({ token: TOKEN, url: URL, params: { Body: 'hi' } }));
    const event = handler.mock.calls[0]![0];
    expect(event).not.toHaveProperty('accountSid');
    expect(event).not.toHaveProperty('idempotencyToken');
  });

  test('a raw Uint8Array body is read as UTF-8 bytes', async () => {
    const { handler, handle } = setup();
    const params = { Body: 'Grüße 👋' };
    const request = signedFormRequest({ token: TOKEN, url: URL, params, body: new TextEncoder().encode(encodeForm(params)) });
    expect((await handle(request)).status).toBe(200);
    expect(handler.mock.calls[0]![0].params.Body).toBe('Grüße 👋');
  });

  test('GET: params come from the query, which the signature covers', async () => {
    const { handler, handle } = setup();
    const params = smsParams();
    const request = signedFormRequest({ token: TOKEN, url: URL, params, method: 'GET' });
    expect((await handle(request)).status).toBe(200);
    const event = handler.mock.calls[0]![0];
    expect({ ...event.params }).toEqual(params);
    expect(event.method).toBe('GET');
    expect(event.accountSid).toBe(params.AccountSid);
  });

  test('lower-case method names are accepted and reported upper-case', async () => {
    const { handler, handle } = setup();
    const request = signedFormRequest({ token: TOKEN, url: URL, params: { Body: 'x' } });
    expect((await handle({ ...request, method: 'post' })).status).toBe(200);
    expect(handler.mock.calls[0]![0].method).toBe('POST');
  });

  test('JSON webhook: json is the parsed raw body after the bodySHA256 check; accountSid from the JSON', async () => {
    const { handler, handle } = setup();
    const raw = `{"AccountSid":"${accountSid(7)}","FlowSid":"FW123","data":{"a":[1,2]}}`;
    const request = signedJsonRequest({ token: TOKEN, url: URL, json: raw });
    expect(twilio.validateRequestWithBody(TOKEN, request.headers['x-twilio-signature'] as string, request.url, raw)).toBe(true);
    expect((await handle(request)).status).toBe(200);
    const event = handler.mock.calls[0]![0];
    expect(event.json).toEqual(JSON.parse(raw));
    expect({ ...event.params }).toEqual({});
    expect(event.accountSid).toBe(accountSid(7));
    expect(event.url).toBe(request.url);
  });
});

describe('handler results', () => {
  const request = () => signedFormRequest({ token: TOKEN, url: URL, params: { Body: 'hi' } });

  test('a TwiML string goes out as text/xml; charset=utf-8', async () => {
    const { handle } = setup({}, '<Response><Message>ok</Message></Response>');
    expect(await handle(request())).toEqual({
      status: 200,
      headers: { 'content-type': 'text/xml; charset=utf-8' },
      body: '<Response><Message>ok</Message></Response>',
    });
  });

  test("twilio's real VoiceResponse", async () => {
    const voice = new twilio.twiml.VoiceResponse();
    voice.say({ voice: 'alice' }, 'Hello <world> & "friends"');
    voice.dial().number('+14155550100');
    const { handle } = setup({}, voice);
    const response = await handle(request());
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/xml; charset=utf-8');
    expect(response.body).toBe(voice.toString());
    expect(response.body).toContain('<Say voice="alice">Hello &lt;world&gt; &amp; "friends"</Say>');
  });

  test("twilio's real MessagingResponse", async () => {
    const messaging = new twilio.twiml.MessagingResponse();
    messaging.message('Thanks, got it');
    const { handle } = setup({}, messaging);
    const response = await handle(request());
    expect(response.body).toBe('<?xml version="1.0" encoding="UTF-8"?><Response><Message>Thanks, got it</Message></Response>');
    expect(response.headers['content-type']).toBe('text/xml; charset=utf-8');
  });

  test('any object with its own toString()', async () => {
    const { handle } = setup({}, { toString: () => '<Response><Hangup/></Response>' });
    expect((await handle(request())).body).toBe('<Response><Hangup/></Response>');
  });

  test("nothing returned: an empty <Response/>, identical to twilio's", async () => {
    const { handle } = setup({}, undefined);
    const response = await handle(request());
    expect(response.body).toBe(EMPTY_TWIML);
    expect(response.body).toBe(new twilio.twiml.MessagingResponse().toString());
    expect(response.headers['content-type']).toBe('text/xml; charset=utf-8');
  });

  test('a response object: status, headers (names lower-cased) and body pass through', async () => {
    const { handle } = setup({}, { status: 202, headers: { 'X-Custom': 'yes', 'Content-Type': 'application/json' }, body: '{"ok":true}' });
    expect(await handle(request())).toEqual({
      status: 202,
      headers: { 'x-custom': 'yes', 'content-type': 'application/json' },
      body: '{"ok":true}',
    });
  });

  test('a response object whose body is a TwiML builder defaults to text/xml', async () => {
    const messaging = new twilio.twiml.MessagingResponse();
    messaging.message('hi');
    const { handle } = setup({}, { headers: { 'cache-control': 'no-store' }, body: messaging });
    expect(await handle(request())).toEqual({
      status: 200,
      headers: { 'cache-control': 'no-store', 'content-type': 'text/xml; charset=utf-8' },
      body: messaging.toString(),
    });
  });

  test('a response object without body: empty body, no content type', async () => {
    const { handle } = setup({}, { status: 204 });
    expect(await handle(request())).toEqual({ status: 204, headers: {}, body: '' });
  });

  test('an async handler', async () => {
    const handle = createWebhookHandler(async () => '<Response/>', { authToken: TOKEN, logger: capturingLogger() });
    expect((await handle(request())).body).toBe('<Response/>');
  });
});

describe('authToken option', () => {
  const params = smsParams();

  test('a list: any of the tokens may sign (rotation)', async () => {
    const { handle } = setup({ authToken: ['old-token', TOKEN] });
    expect((await handle(signedFormRequest({ token: TOKEN, url: URL, params }))).status).toBe(200);
    expect((await handle(signedFormRequest({ token: 'old-token', url: URL, params }))).status).toBe(200);
    expect((await handle(signedFormRequest({ token: 'other', url: URL, params }))).status).toBe(403);
  });

  test('a TokenSource object is asked with the AccountSid', async () => {
    const getTokens = jest.fn(() => [TOKEN]);
    const { handle } = setup({ authToken: { getTokens } });
    expect((await handle(signedFormRequest({ token: TOKEN, url: URL, params }))).status).toBe(200);
    expect(getTokens).toHaveBeenCalledWith(params.AccountSid);
  });

  test('a function of the AccountSid (sub-accounts sign with their own token)', async () => {
    const lookup = jest.fn(async (sid?: string) => (sid === accountSid(1) ? 'token-one' : 'token-two'));
    const { handle } = setup({ authToken: lookup });
    expect(
      (await handle(signedFormRequest({ token: 'token-one', url: URL, params: smsParams({ AccountSid: accountSid(1) }) }))).status,
    ).toBe(200);
    expect(
      (await handle(signedFormRequest({ token: 'token-two', url: URL, params: smsParams({ AccountSid: accountSid(2) }) }))).status,
    ).toBe(200);
    expect(
      (await handle(signedFormRequest({ token: 'token-one', url: URL, params: smsParams({ AccountSid: accountSid(2) }) }))).status,
    ).toBe(403);
    // Cached per account; the mismatch costs one forced re-read of that account (a promotion inside the TTL).
    expect(lookup.mock.calls.map(([sid]) => sid)).toEqual([accountSid(1), accountSid(2), accountSid(2)]);
  });

  test('default: TWILIO_AUTH_TOKEN, read on every request (comma list and _PENDING for rotation)', async () => {
    const logger = capturingLogger();
    const handle = createWebhookHandler(() => undefined, { logger });
    process.env.TWILIO_AUTH_TOKEN = TOKEN;
    expect((await handle(signedFormRequest({ token: TOKEN, url: URL, params }))).status).toBe(200);
    process.env.TWILIO_AUTH_TOKEN = 'new-token, older-token';
    process.env.TWILIO_AUTH_TOKEN_PENDING = 'pending-token';
    for (const token of ['new-token', 'older-token', 'pending-token']) {
      expect((await handle(signedFormRequest({ token, url: URL, params }))).status).toBe(200);
    }
    expect((await handle(signedFormRequest({ token: TOKEN, url: URL, params }))).status).toBe(403);
  });

  test('no token anywhere: 500, handler not run, a log line saying how to configure it', async () => {
    const logger = capturingLogger();
    const handler = spyHandler();
    const handle = createWebhookHandler(handler, { logger });
    const response = await handle(signedFormRequest({ token: TOKEN, url: URL, params }));
    expect(response.status).toBe(500);
    expect(response.body).toBe('Webhook misconfigured');
    expect(handler).not.toHaveBeenCalled();
    const [line] = logger.at('error');
    expect(line?.msg).toMatch(/no auth token configured/);
    expect(line?.msg).toMatch(/TWILIO_AUTH_TOKEN/);
    expect(line?.msg).toMatch(/authToken option/);
  });

  test("no token: the platform's own help is part of the log line", async () => {
    const logger = capturingLogger();
    const handle = createWebhookHandler(
      () => undefined,
      { logger },
      { name: 'test-platform', tokenHelp: 'set TWILIO_SECRET_ARN to a Secrets Manager secret' },
    );
    expect((await handle(signedFormRequest({ token: TOKEN, url: URL, params }))).status).toBe(500);
    expect(logger.at('error')[0]).toMatchObject({ adapter: 'test-platform', msg: expect.stringMatching(/TWILIO_SECRET_ARN/) });
  });

  test.each([
    ['an empty string', ''],
    ['an empty list', []],
    ['a list of empty strings', ['', '']],
  ])('authToken is %s (an unset variable passed on): 500 misconfigured, not 403', async (_label, authToken) => {
    const { handle, handler, logger } = setup({ authToken });
    expect((await handle(signedFormRequest({ token: TOKEN, url: URL, params }))).status).toBe(500);
    expect(handler).not.toHaveBeenCalled();
    expect(logger.at('error')[0]?.msg).toMatch(/no auth token configured/);
  });

  test('the token source is not asked when the guard is created, only on the first request', async () => {
    const getTokens = jest.fn(() => [TOKEN]);
    const handle = createWebhookHandler(() => undefined, { authToken: { getTokens }, logger: capturingLogger() });
    expect(getTokens).not.toHaveBeenCalled();
    await handle(signedFormRequest({ token: TOKEN, url: URL, params }));
    expect(getTokens).toHaveBeenCalledTimes(1);
  });
});

describe('basicAuth option', () => {
  const basicAuth = { username: 'twilio', password: 's3cr3t:pa55' };
  const authorization = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  const signed = (headers: Record<string, string> = {}) => signedFormRequest({ token: TOKEN, url: URL, params: smsParams(), headers });

  test('no Authorization: 401 with WWW-Authenticate (default realm), handler not run', async () => {
    const { handle, handler, logger } = setup({ basicAuth });
    const response = await handle(signed());
    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Basic realm="twilio-webhook", charset="UTF-8"');
    expect(handler).not.toHaveBeenCalled();
    expect(logger.at('info')[0]?.msg).toMatch(/Basic challenge/);
  });

  test('a custom realm is used in the challenge', async () => {
    const { handle } = setup({ basicAuth: { ...basicAuth, realm: 'sms inbox' } });
    expect((await handle(signed())).headers['www-authenticate']).toBe('Basic realm="sms inbox", charset="UTF-8"');
  });

  test.each([
    ['a wrong password', authorization('twilio', 'nope')],
    ['a wrong user', authorization('admin', 's3cr3t:pa55')],
    ['a password prefix', authorization('twilio', 's3cr3t')],
  ])('%s: 401 and a challenge', async (_label, header) => {
    const { handle, handler } = setup({ basicAuth });
    const response = await handle(signed({ authorization: header }));
    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toMatch(/^Basic realm=/);
    expect(handler).not.toHaveBeenCalled();
  });

  test('right credentials go on to the signature check: valid → 200, bad signature → 403', async () => {
    const { handle, handler } = setup({ basicAuth });
    expect((await handle(signed({ authorization: authorization('twilio', 's3cr3t:pa55') }))).status).toBe(200);
    const forged = signed({
      authorization: authorization('twilio', 's3cr3t:pa55'),
      'x-twilio-signature': twilioSignature('other', URL, smsParams()),
    });
    expect((await handle(forged)).status).toBe(403);
    expect(handler).toHaveBeenCalledTimes(1);
  });

  test('the signed URL never contains user:pass@, even when the url option is written with credentials', async () => {
    const { handle, handler } = setup({ basicAuth, url: 'https://twilio:s3cr3t:pa55@example.com/sms' });
    const withCredentials = { authorization: authorization('twilio', 's3cr3t:pa55') };
    // Twilio signs the URL without the credentials (they travel in the Authorization header).
    expect((await handle(signed(withCredentials))).status).toBe(200);
    expect(handler.mock.calls[0]![0].url).toBe(URL);
    const signedWithCredentials = signedFormRequest({
      token: TOKEN,
      url: URL,
      signedUrl: 'https://twilio:s3cr3t:pa55@example.com/sms',
      params: smsParams(),
      headers: withCredentials,
    });
    expect((await handle(signedWithCredentials)).status).toBe(403);
  });
});

describe('validate: false', () => {
  test('unsigned requests reach the handler, with a warning on every request', async () => {
    const { handle, handler, logger } = setup({ validate: false });
    for (let i = 0; i < 3; i++) {
      const response = await handle({
        method: 'POST',
        url: URL,
        headers: { 'content-type': FORM_CONTENT_TYPE },
        body: encodeForm(smsParams()),
      });
      expect(response.status).toBe(200);
    }
    expect(handler).toHaveBeenCalledTimes(3);
    expect({ ...handler.mock.calls[0]![0].params }).toEqual(smsParams());
    expect(handler.mock.calls[0]![0].accountSid).toBe(smsParams().AccountSid);
    const warnings = logger.at('warn').filter((entry) => /validation is OFF/.test(entry.msg));
    expect(warnings).toHaveLength(3);
  });

  test('Basic auth and the size limit still apply', async () => {
    const { handle, handler } = setup({ validate: false, basicAuth: { username: 'u', password: 'p' }, maxBodyBytes: 10 });
    expect((await handle({ method: 'POST', url: URL, headers: { 'content-type': FORM_CONTENT_TYPE }, body: 'a=b' })).status).toBe(401);
    const authorization = `Basic ${Buffer.from('u:p').toString('base64')}`;
    expect(
      (await handle({ method: 'POST', url: URL, headers: { 'content-type': FORM_CONTENT_TYPE, authorization }, body: 'a=b' })).status,
    ).toBe(200);
    expect(
      (await handle({ method: 'POST', url: URL, headers: { 'content-type': FORM_CONTENT_TYPE, authorization }, body: 'a=bbbbbbbbbbbbb' }))
        .status,
    ).toBe(413);
    expect(handler).toHaveBeenCalledTimes(1);
  });
});

describe('maxBodyBytes', () => {
  /** A signed request whose raw body is exactly `bytes` long. */
  function requestOfSize(bytes: number, filler = 'x'): WebhookRequest {
    const prefix = 'Body=';
    const fillerBytes = Buffer.byteLength(filler);
    const count = Math.floor((bytes - prefix.length) / fillerBytes);
    const padding = 'y'.repeat(bytes - prefix.length - count * fillerBytes);
    const body = `${prefix}${filler.repeat(count)}${padding}`;
    expect(Buffer.byteLength(body)).toBe(bytes);
    return signedFormRequest({ token: TOKEN, url: URL, params: Object.fromEntries(new URLSearchParams(body)), body });
  }

  test('default 64 KiB: exactly 65536 bytes pass, 65537 get 413 without reaching the handler', async () => {
    const { handle, handler } = setup();
    expect((await handle(requestOfSize(64 * 1024))).status).toBe(200);
    const response = await handle(requestOfSize(64 * 1024 + 1));
    expect(response.status).toBe(413);
    expect(response.body).toBe('Payload Too Large');
    expect(handler).toHaveBeenCalledTimes(1);
  });

  test('the limit counts bytes, not characters', async () => {
    const { handle } = setup({ maxBodyBytes: 100 });
    // 24 four-byte characters percent-encoded are 288 bytes on the wire; a raw UTF-8 string body counts 4 bytes each.
    const body = `Body=${'👋'.repeat(24)}`;
    expect(body.length).toBeLessThan(100);
    const response = await handle(signedFormRequest({ token: TOKEN, url: URL, params: { Body: '👋'.repeat(24) }, body }));
    expect(response.status).toBe(413);
  });

  test('a custom limit', async () => {
    const { handle } = setup({ maxBodyBytes: 1024 });
    expect((await handle(requestOfSize(1024))).status).toBe(200);
    expect((await handle(requestOfSize(1025))).status).toBe(413);
  });
});

describe('failures: status, short body, reason only in the log', () => {
  const params = smsParams();

  test('missing X-Twilio-Signature: 400', async () => {
    const { handle, handler, logger } = setup();
    const request = signedFormRequest({ token: TOKEN, url: URL, params });
    const { 'x-twilio-signature': _dropped, ...headers } = request.headers;
    const response = await handle({ ...request, headers });
    expect(response).toEqual({
      status: 400,
      headers: { 'content-type': 'text/plain; charset=utf-8' },
      body: 'Missing X-Twilio-Signature header',
    });
    expect(handler).not.toHaveBeenCalled();
    expect(logger.at('warn')[0]).toMatchObject({ status: 400, msg: expect.stringMatching(/no X-Twilio-Signature/) });
  });

  test('bad signature: 403 "Twilio Request Validation Failed."', async () => {
    const { handle, handler, logger } = setup();
    const response = await handle(signedFormRequest({ token: 'not-the-token', url: URL, params }));
    expect(response.status).toBe(403);
    expect(response.body).toBe('Twilio Request Validation Failed.');
    expect(handler).not.toHaveBeenCalled();
    expect(logger.at('warn')[0]).toMatchObject({
      status: 403,
      url: URL,
      urlSource: 'platform request URL',
      msg: 'rejected webhook: signature does not match',
    });
  });

  test('a tampered parameter: 403', async () => {
    const { handle } = setup();
    const request = signedFormRequest({ token: TOKEN, url: URL, params, body: encodeForm({ ...params, Body: 'tampered' }) });
    expect((await handle(request)).status).toBe(403);
  });

  test('token store unavailable: 503 with Retry-After', async () => {
    const down: TokenSource = {
      description: 'test-store',
      getTokens: () => {
        throw new TokenStoreUnavailableError('test-store timed out');
      },
    };
    const { handle, handler, logger } = setup({ authToken: down });
    const response = await handle(signedFormRequest({ token: TOKEN, url: URL, params }));
    expect(response).toEqual({
      status: 503,
      headers: { 'content-type': 'text/plain; charset=utf-8', 'retry-after': '5' },
      body: 'Service Unavailable',
    });
    expect(handler).not.toHaveBeenCalled();
    expect(logger.at('error')[0]?.msg).toMatch(/test-store timed out/);
  });

  test('a token source failing with any other error: 503, the error in the log only', async () => {
    const broken: TokenSource = { getTokens: async () => Promise.reject(new Error('socket hang up')) };
    const { handle, logger } = setup({ authToken: broken });
    const response = await handle(signedFormRequest({ token: TOKEN, url: URL, params }));
    expect(response.status).toBe(503);
    expect(response.body).not.toMatch(/socket/);
    expect(logger.at('error')[0]).toMatchObject({ error: { name: 'Error', message: 'socket hang up' } });
  });

  test('handler threw: 500 with a generic body; the error is logged', async () => {
    const logger = capturingLogger();
    const handle = createWebhookHandler(
      () => {
        throw new TypeError('cannot read properties of undefined (reading "phone")');
      },
      { authToken: TOKEN, logger },
    );
    const response = await handle(signedFormRequest({ token: TOKEN, url: URL, params }));
    expect(response).toEqual({ status: 500, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'Internal Server Error' });
    const [line] = logger.at('error');
    expect(line).toMatchObject({
      msg: 'webhook handler threw',
      error: { name: 'TypeError', message: expect.stringMatching(/reading "phone"/) },
    });
    expect((line?.error as { stack?: string }).stack).toMatch(/TypeError/);
  });

  test('a handler rejecting with a non-Error: 500, logged', async () => {
    const logger = capturingLogger();
    const handle = createWebhookHandler(() => Promise.reject('plain string'), { authToken: TOKEN, logger });
    expect((await handle(signedFormRequest({ token: TOKEN, url: URL, params }))).status).toBe(500);
    expect(logger.at('error')[0]).toMatchObject({ error: { name: 'NonError', message: 'plain string' } });
  });

  test('the url option throwing: 500, logged', async () => {
    const { handle, logger } = setup({
      url: () => {
        throw new Error('no host');
      },
    });
    expect((await handle(signedFormRequest({ token: TOKEN, url: URL, params }))).status).toBe(500);
    expect(logger.at('error')[0]?.msg).toMatch(/url option threw/);
  });

  test('a relative url option: 500 (misconfiguration), the log says to fix the url option', async () => {
    const { handle, logger } = setup({ url: '/sms' });
    expect((await handle(signedFormRequest({ token: TOKEN, url: URL, params }))).status).toBe(500);
    expect(logger.at('error')[0]?.msg).toMatch(/not absolute/);
  });

  test('every refusal body is a short phrase', async () => {
    const { handle } = setup({ basicAuth: { username: 'u', password: 'p' } });
    const response = await handle(signedFormRequest({ token: TOKEN, url: URL, params }));
    expect(response.body.length).toBeLessThan(40);
  });
});

describe('default logger', () => {
  test('one JSON line on stderr per rejected request, none for accepted ones', async () => {
    const stderr = captureStderr();
    try {
      const handle = createWebhookHandler(() => undefined, { authToken: TOKEN });
      await handle(signedFormRequest({ token: TOKEN, url: URL, params: smsParams() }));
      expect(stderr.text()).toBe('');
      await handle(signedFormRequest({ token: 'wrong', url: URL, params: smsParams() }));
      await handle({ method: 'PUT', url: URL, headers: {}, body: '' });
      await handle({ method: 'POST', url: URL, headers: { 'content-type': FORM_CONTENT_TYPE }, body: 'a=b' });
      const lines = stderr.text().trimEnd().split('\n');
      expect(lines).toHaveLength(3);
      const parsed = stderr.jsonLines();
      expect(parsed.map((line) => line.status)).toEqual([403, 405, 400]);
      for (const line of parsed)
        expect(line).toMatchObject({
          level: 'warn',
          source: 'twiml-guard',
          adapter: 'core',
          msg: expect.stringMatching(/^rejected webhook: /),
        });
    } finally {
      stderr.restore();
    }
  });
});

describe('createWebhookGuard', () => {
  test('returns the event for a signed request and the refusal otherwise, without a handler', async () => {
    const guard = createWebhookGuard({ authToken: TOKEN, logger: capturingLogger() });
    const ok = await guard(signedFormRequest({ token: TOKEN, url: URL, params: { Body: 'x' } }));
    expect(ok.ok && ok.event.params.Body).toBe('x');
    const refused = await guard(signedFormRequest({ token: 'x', url: URL, params: { Body: 'x' } }));
    expect(!refused.ok && refused.response.status).toBe(403);
  });
});

describe('GET webhooks: parameters come from the URL that was signed', () => {
  test('a signed GET whose configured query is not clean form encoding is accepted, as twilio accepts it', async () => {
    const seen: unknown[] = [];
    const handle = createWebhookHandler((event) => void seen.push(event.params), {
      authToken: '0123456789abcdef0123456789abcdef',
      logger: capturingLogger(),
    });
    const url = 'https://x.example/voice?promo=50%&name=caf%E9&AccountSid=AC0123456789abcdef0123456789abcdef';
    const response = await handle({
      method: 'GET',
      url,
      headers: { 'x-twilio-signature': twilio.getExpectedTwilioSignature('0123456789abcdef0123456789abcdef', url, {}) },
      body: '',
    });
    expect(
      twilio.validateRequest(
        '0123456789abcdef0123456789abcdef',
        twilio.getExpectedTwilioSignature('0123456789abcdef0123456789abcdef', url, {}),
        url,
        {},
      ),
    ).toBe(true);
    expect(response.status).toBe(200);
    expect(seen).toEqual([{ promo: '50%', name: 'caf\uFFFD', AccountSid: 'AC0123456789abcdef0123456789abcdef' }]);
  });
});

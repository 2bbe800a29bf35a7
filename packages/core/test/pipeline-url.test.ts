/** Which URL the signature is checked against (docs/design.md, rules 1-3), and what a mismatch log line says (docs/design.md, rule 5). */
import { createWebhookHandler, type WebhookOptions, type WebhookRequest } from '@twiml-guard/core';
import { capturingLogger, signedFormRequest, smsParams } from '@twiml-guard/test-support';

const TOKEN = 'abcdefabcdefabcdefabcdefabcdef12';
const PUBLIC = 'https://hooks.example.com/sms';
const INTERNAL = 'http://10.0.3.7:8080/sms';

const savedEnv = { url: process.env.TWILIO_WEBHOOK_URL, base: process.env.PUBLIC_BASE_URL };
beforeEach(() => {
  delete process.env.TWILIO_WEBHOOK_URL;
  delete process.env.PUBLIC_BASE_URL;
});
afterAll(() => {
  if (savedEnv.url === undefined) delete process.env.TWILIO_WEBHOOK_URL;
  else process.env.TWILIO_WEBHOOK_URL = savedEnv.url;
  if (savedEnv.base === undefined) delete process.env.PUBLIC_BASE_URL;
  else process.env.PUBLIC_BASE_URL = savedEnv.base;
});

function setup(options: WebhookOptions = {}) {
  const logger = capturingLogger();
  const handler = jest.fn((_event: { url: string }) => undefined);
  const handle = createWebhookHandler(handler, { authToken: TOKEN, logger, ...options });
  return { logger, handler, handle };
}

/** The rejection log lines (the once-per-container plain-http warning is not one). */
function rejections(logger: ReturnType<typeof capturingLogger>) {
  return logger.at('warn').filter((line) => 'status' in line);
}

/** Twilio signed `signedUrl`; the function sees `seenUrl` (plus extra fields). */
function request(signedUrl: string, seenUrl: string, extra: Partial<WebhookRequest> = {}): WebhookRequest {
  return { ...signedFormRequest({ token: TOKEN, url: seenUrl, signedUrl, params: smsParams() }), ...extra };
}

describe('explicit configuration beats inference', () => {
  test('url option (string) replaces the URL the platform reports', async () => {
    const { handle, handler } = setup({ url: PUBLIC });
    expect((await handle(request(PUBLIC, INTERNAL))).status).toBe(200);
    expect(handler.mock.calls[0]![0].url).toBe(PUBLIC);
  });

  test('url option (function) is called with the request', async () => {
    const url = jest.fn((incoming: WebhookRequest) => `https://hooks.example.com${incoming.path ?? '/'}`);
    const { handle } = setup({ url });
    expect((await handle(request(PUBLIC, INTERNAL, { path: '/sms' }))).status).toBe(200);
    expect(url).toHaveBeenCalledWith(expect.objectContaining({ url: INTERNAL, path: '/sms' }));
  });

  test('baseUrl + the path (and query) of the platform URL', async () => {
    const { handle } = setup({ baseUrl: 'https://hooks.example.com' });
    expect((await handle(request(`${PUBLIC}?tenant=a%27b`, `${INTERNAL}?tenant=a%27b`))).status).toBe(200);
  });

  test('baseUrl with a base path and a trailing slash + the adapter-provided path', async () => {
    const { handle } = setup({ baseUrl: 'https://api.example.com/v1/' });
    expect((await handle(request('https://api.example.com/v1/sms', INTERNAL, { path: '/sms' }))).status).toBe(200);
  });

  test('url beats baseUrl', async () => {
    const { handle } = setup({ url: PUBLIC, baseUrl: 'https://other.example.com' });
    expect((await handle(request(PUBLIC, INTERNAL))).status).toBe(200);
  });

  test('env TWILIO_WEBHOOK_URL and PUBLIC_BASE_URL are the defaults of url and baseUrl', async () => {
    process.env.PUBLIC_BASE_URL = 'https://hooks.example.com';
    expect((await setup().handle(request(PUBLIC, INTERNAL))).status).toBe(200);
    process.env.TWILIO_WEBHOOK_URL = 'https://exact.example.com/x';
    expect((await setup().handle(request('https://exact.example.com/x', INTERNAL))).status).toBe(200);
  });

  test('without configuration the platform URL is used as received', async () => {
    const { handle } = setup();
    expect((await handle(request(PUBLIC, PUBLIC))).status).toBe(200);
    expect((await handle(request(PUBLIC, INTERNAL))).status).toBe(403);
  });
});

describe('forwarded headers (docs/design.md, rule 3)', () => {
  // An attacker replays a request Twilio signed for another of the account's webhooks
  // (https://other.example.com/sms) and claims that host in forwarded headers.
  const OTHER = 'https://other.example.com/sms';
  const replay = (headers: Record<string, string>) =>
    request(OTHER, PUBLIC, { headers: { ...request(OTHER, PUBLIC).headers, ...headers } });

  test.each([
    ['X-Forwarded-Host', { 'x-forwarded-host': 'other.example.com' }],
    ['X-Forwarded-Host + X-Forwarded-Proto', { 'x-forwarded-host': 'other.example.com', 'x-forwarded-proto': 'https' }],
    ['Forwarded', { forwarded: 'proto=https;host=other.example.com' }],
    ['X-Original-Host', { 'x-original-host': 'other.example.com' }],
  ])('without trustProxy a forged %s cannot redirect validation: 403', async (_label, headers) => {
    const { handle, handler, logger } = setup();
    expect((await handle(replay(headers))).status).toBe(403);
    expect(handler).not.toHaveBeenCalled();
    expect(rejections(logger)[0]).toMatchObject({ url: PUBLIC, urlSource: 'platform request URL' });
  });

  test('with trustProxy the forwarded host and proto build the URL', async () => {
    const { handle } = setup({ trustProxy: true });
    expect(
      (
        await handle(
          request(PUBLIC, INTERNAL, {
            headers: { ...request(PUBLIC, INTERNAL).headers, 'x-forwarded-host': 'hooks.example.com', 'x-forwarded-proto': 'https' },
          }),
        )
      ).status,
    ).toBe(200);
  });

  test('with trustProxy, RFC 7239 Forwarded (first hop) wins over X-Forwarded-*', async () => {
    const { handle } = setup({ trustProxy: true });
    const headers = {
      ...request(PUBLIC, INTERNAL).headers,
      forwarded: 'for=1.2.3.4;proto=https;host="hooks.example.com", for=5.6.7.8;host=proxy',
      'x-forwarded-host': 'wrong.example.com',
    };
    expect((await handle(request(PUBLIC, INTERNAL, { headers }))).status).toBe(200);
  });

  test('with trustProxy, only X-Forwarded-Proto: the platform host with that scheme', async () => {
    const { handle } = setup({ trustProxy: true });
    const headers = { ...request('https://hooks.example.com/sms', 'http://hooks.example.com/sms').headers, 'x-forwarded-proto': 'https' };
    expect((await handle(request('https://hooks.example.com/sms', 'http://hooks.example.com/sms', { headers }))).status).toBe(200);
  });

  test('baseUrl beats forwarded headers even with trustProxy', async () => {
    const { handle } = setup({ trustProxy: true, baseUrl: 'https://hooks.example.com' });
    const headers = { ...request(PUBLIC, INTERNAL).headers, 'x-forwarded-host': 'evil.example.com' };
    expect((await handle(request(PUBLIC, INTERNAL, { headers }))).status).toBe(200);
  });
});

describe('the URL as Twilio signed it (docs/design.md, rule 1)', () => {
  test('a received default port validates (twilio tries the URL with and without it)', async () => {
    const { handle } = setup();
    expect((await handle(request(PUBLIC, 'https://hooks.example.com:443/sms'))).status).toBe(200);
    expect((await handle(request('https://hooks.example.com:443/sms', PUBLIC))).status).toBe(200);
  });

  test("characters new URL() would rewrite are signed as written (' and spaces in the query)", async () => {
    const url = "https://hooks.example.com/sms?name=O'Brien&x=a%20b";
    const { handle } = setup({ url });
    expect((await handle(request(url, INTERNAL))).status).toBe(200);
  });
});

describe('mismatch diagnostics', () => {
  test('the log line names the URL used, where it came from, and the adapter notes', async () => {
    const { handle, logger } = setup();
    await handle(request(PUBLIC, INTERNAL, { urlSource: 'headers.host + rawPath', urlNotes: ['custom domains are invisible here'] }));
    expect(rejections(logger)[0]).toMatchObject({
      status: 403,
      url: INTERNAL,
      urlSource: 'headers.host + rawPath',
      hints: ['custom domains are invisible here'],
      fix: expect.stringMatching(/no near-miss URL matched/),
    });
  });

  test.each([
    ['http vs https', 'https://hooks.example.com/sms', 'http://hooks.example.com/sms', 'https instead of http'],
    ['https vs http', 'http://hooks.example.com/sms', 'https://hooks.example.com/sms', 'http instead of https'],
    ['trailing slash added', 'https://hooks.example.com/sms/', 'https://hooks.example.com/sms', 'with a trailing slash'],
    ['trailing slash removed', 'https://hooks.example.com/sms', 'https://hooks.example.com/sms/', 'without the trailing slash'],
    ['stage segment', 'https://hooks.example.com/sms', 'https://hooks.example.com/prod/sms', 'without the first path segment "/prod"'],
    ['base path prefix', 'https://hooks.example.com/api/sms', 'https://hooks.example.com/sms', 'with a "/api" path prefix'],
    ['query string lost', 'https://hooks.example.com/sms', 'https://hooks.example.com/sms?utm=x', 'without the query string'],
  ])('%s: the near-miss URL that would have matched is named', async (_label, signedUrl, seenUrl, label) => {
    const { handle, logger } = setup();
    expect((await handle(request(signedUrl, seenUrl))).status).toBe(403);
    const line = rejections(logger)[0];
    expect(line).toMatchObject({ url: seenUrl, wouldMatch: signedUrl });
    expect(line?.fix).toContain(label);
  });

  test("the adapter's alternateUrls are tried and named by their label", async () => {
    const { handle, logger } = setup();
    const alternateUrls = [{ url: 'https://abc123.execute-api.us-east-1.amazonaws.com/prod/sms', label: 'the execute-api default domain' }];
    await handle(request(alternateUrls[0]!.url, PUBLIC, { alternateUrls }));
    expect(rejections(logger)[0]).toMatchObject({
      wouldMatch: alternateUrls[0]!.url,
      fix: expect.stringContaining('the execute-api default domain'),
    });
  });

  test('a URL with credentials is logged without them', async () => {
    const { handle, logger } = setup({ url: 'https://user:hunter2@hooks.example.com/sms' });
    await handle(request('https://hooks.example.com/other', INTERNAL));
    expect(logger.text()).not.toContain('hunter2');
    expect(rejections(logger)[0]).toMatchObject({
      url: 'https://hooks.example.com/sms',
      urlSource: expect.stringContaining('user:password@ removed'),
    });
  });

  describe('rate limit', () => {
    afterEach(() => jest.useRealTimers());

    test('at most 10 near-miss diagnoses a minute; the rejection itself is always logged', async () => {
      jest.useFakeTimers({ now: Date.UTC(2026, 0, 1) });
      const { handle, logger } = setup();
      for (let i = 0; i < 15; i++) expect((await handle(request(PUBLIC, 'http://hooks.example.com/sms'))).status).toBe(403);
      const lines = rejections(logger);
      expect(lines).toHaveLength(15);
      expect(lines.filter((line) => 'wouldMatch' in line)).toHaveLength(10);
      expect(lines.slice(10).every((line) => line.url === 'http://hooks.example.com/sms' && !('fix' in line))).toBe(true);
      jest.setSystemTime(Date.UTC(2026, 0, 1, 0, 1));
      await handle(request(PUBLIC, 'http://hooks.example.com/sms'));
      expect(rejections(logger)[15]).toHaveProperty('wouldMatch', PUBLIC);
    });
  });
});

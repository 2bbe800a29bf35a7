/** Token sources as the pipeline uses them: rotation, per-AccountSid lookup, refresh on a miss, outages. */
import {
  CachedTokenSource,
  cachedTokenSource,
  createWebhookHandler,
  type TokenList,
  type TokenSource,
  type WebhookOptions,
} from '@twiml-guard/core';
import {
  accountSid,
  capturingLogger,
  encodeForm,
  signedFormRequest,
  signedJsonRequest,
  smsParams,
  FORM_CONTENT_TYPE,
} from '@twiml-guard/test-support';

const URL = 'https://hooks.example.com/sms';

function setup(authToken: WebhookOptions['authToken']) {
  const logger = capturingLogger();
  const handler = jest.fn(() => undefined);
  const handle = createWebhookHandler(handler, { authToken, logger });
  return { logger, handler, handle };
}

/** A store the test scripts; every call counted. */
function scriptedStore(initial: TokenList = ['token-1']) {
  const store = {
    tokens: initial,
    failure: undefined as Error | undefined,
    hang: false,
    calls: [] as (string | undefined)[],
    source: {
      description: 'scripted-store',
      getTokens: async (sid?: string): Promise<TokenList> => {
        store.calls.push(sid);
        if (store.hang) return new Promise<TokenList>(() => undefined);
        if (store.failure) throw store.failure;
        return store.tokens;
      },
    } satisfies TokenSource,
  };
  return store;
}

const sign = (token: string, params = smsParams()) => signedFormRequest({ token, url: URL, params });

describe('several valid tokens at once (rotation)', () => {
  afterEach(() => jest.useRealTimers());

  test('current, pending and previous (before its expiry) all sign; an unknown token does not', async () => {
    jest.useFakeTimers({ now: Date.UTC(2026, 10, 22, 10, 0) });
    const tokens: TokenList = [
      { value: 'current-token', role: 'current' },
      { value: 'pending-token', role: 'pending' },
      { value: 'previous-token', role: 'previous', expiresAt: Date.UTC(2026, 10, 22, 10, 5) },
    ];
    const { handle, handler } = setup(tokens);
    for (const token of ['current-token', 'pending-token', 'previous-token']) expect((await handle(sign(token))).status).toBe(200);
    expect((await handle(sign('retired-token'))).status).toBe(403);
    expect(handler).toHaveBeenCalledTimes(3);
  });

  test('the previous token is rejected from its expiry on (checked at request time, not fetch time)', async () => {
    jest.useFakeTimers({ now: Date.UTC(2026, 10, 22, 10, 0) });
    const expiresAt = Date.UTC(2026, 10, 22, 10, 2);
    const store = scriptedStore([{ value: 'current-token' }, { value: 'previous-token', role: 'previous', expiresAt }]);
    const { handle } = setup(cachedTokenSource(store.source));
    expect((await handle(sign('previous-token'))).status).toBe(200);
    jest.setSystemTime(expiresAt - 1);
    expect((await handle(sign('previous-token'))).status).toBe(200);
    jest.setSystemTime(expiresAt);
    expect((await handle(sign('previous-token'))).status).toBe(403);
    expect((await handle(sign('current-token'))).status).toBe(200);
    expect(store.calls).toHaveLength(2); // first fetch + one forced refresh on the miss; all within the TTL
  });
});

describe('per-AccountSid lookup', () => {
  const tokensBySid: Record<string, string> = { [accountSid(1)]: 'token-of-one', [accountSid(2)]: 'token-of-two' };

  test('each sub-account validates with its own token; the lookup gets the AccountSid', async () => {
    const lookup = jest.fn((sid?: string) => (sid && tokensBySid[sid] ? [tokensBySid[sid]] : []));
    const { handle } = setup(lookup);
    expect((await handle(sign('token-of-one', smsParams({ AccountSid: accountSid(1) })))).status).toBe(200);
    expect((await handle(sign('token-of-two', smsParams({ AccountSid: accountSid(2) })))).status).toBe(200);
    // A master-account request signed with another account's token is refused.
    expect((await handle(sign('token-of-one', smsParams({ AccountSid: accountSid(2) })))).status).toBe(403);
  });

  test('an unknown account (no token): 403, and negatively cached', async () => {
    const lookup = jest.fn((): string[] => []);
    const { handle, logger } = setup(lookup);
    for (let i = 0; i < 5; i++) expect((await handle(sign('any', smsParams({ AccountSid: accountSid(9) })))).status).toBe(403);
    expect(lookup).toHaveBeenCalledTimes(1);
    expect(logger.at('warn')[0]?.msg).toMatch(/no auth token for this account/);
  });

  test('the AccountSid of a JSON webhook selects the token', async () => {
    const lookup = jest.fn((sid?: string) => (sid && tokensBySid[sid] ? [tokensBySid[sid]] : []));
    const { handle } = setup(lookup);
    const request = signedJsonRequest({ token: 'token-of-two', url: URL, json: { AccountSid: accountSid(2), event: 'x' } });
    expect((await handle(request)).status).toBe(200);
    expect(lookup).toHaveBeenCalledWith(accountSid(2));
  });

  test.each([
    ['too short', 'AC123'],
    ['a path traversal', `AC${'0'.repeat(30)}/../../secret`],
    ['not hex', `AC${'g'.repeat(32)}`],
    ['another prefix', `SK${'0'.repeat(32)}`],
    ['lower-case prefix', `ac${'0'.repeat(32)}`],
    ['a trailing newline', `${accountSid(1)}\n`],
    ['empty', ''],
  ])('a malformed AccountSid (%s) never reaches the store: 400', async (_label, sid) => {
    const store = scriptedStore();
    const { handle, handler } = setup(cachedTokenSource(store.source));
    const response = await handle(sign('token-1', smsParams({ AccountSid: sid })));
    expect(response.status).toBe(400);
    expect(store.calls).toHaveLength(0);
    expect(handler).not.toHaveBeenCalled();
  });

  test('a repeated AccountSid field never reaches the store: 400', async () => {
    const store = scriptedStore();
    const { handle } = setup(cachedTokenSource(store.source));
    expect((await handle(sign('token-1', smsParams({ AccountSid: [accountSid(1), accountSid(2)] })))).status).toBe(400);
    expect(store.calls).toHaveLength(0);
  });
});

describe('the cache behind the pipeline', () => {
  test('lazy: no store call until the first request', async () => {
    const store = scriptedStore();
    const { handle } = setup(cachedTokenSource(store.source));
    expect(store.calls).toHaveLength(0);
    await handle(sign('token-1'));
    expect(store.calls).toHaveLength(1);
  });

  test('single-flight: 25 concurrent cold requests cost one store call', async () => {
    const store = scriptedStore();
    const { handle, handler } = setup(cachedTokenSource(store.source));
    const responses = await Promise.all(Array.from({ length: 25 }, () => handle(sign('token-1'))));
    expect(responses.every((response) => response.status === 200)).toBe(true);
    expect(store.calls).toHaveLength(1);
    expect(handler).toHaveBeenCalledTimes(25);
  });

  test('a token promoted inside the TTL: the miss forces one re-read and the request passes', async () => {
    const store = scriptedStore(['token-1']);
    const { handle } = setup(cachedTokenSource(store.source));
    expect((await handle(sign('token-1'))).status).toBe(200);
    store.tokens = ['token-2'];
    expect((await handle(sign('token-2'))).status).toBe(200);
    expect(store.calls).toHaveLength(2);
    expect((await handle(sign('token-2'))).status).toBe(200);
    expect(store.calls).toHaveLength(2);
  });

  test('forged traffic cannot hammer the store: 200 bad signatures cost at most one forced re-read', async () => {
    const clock = { now: 0 };
    const store = scriptedStore(['token-1']);
    const { handle } = setup(cachedTokenSource(store.source, { now: () => clock.now }));
    await handle(sign('token-1'));
    for (let i = 0; i < 200; i++) expect((await handle(sign(`forged-${i}`))).status).toBe(403);
    expect(store.calls).toHaveLength(2);
    clock.now += 10_000;
    await handle(sign('forged-again'));
    expect(store.calls).toHaveLength(3);
  });

  test('store down with tokens cached: served stale (within bounds)', async () => {
    const clock = { now: 0 };
    const store = scriptedStore(['token-1']);
    const { handle } = setup(cachedTokenSource(store.source, { now: () => clock.now }));
    await handle(sign('token-1'));
    store.failure = new Error('503 from the store');
    clock.now += 6 * 60_000;
    expect((await handle(sign('token-1'))).status).toBe(200);
    clock.now += 60 * 60_000;
    expect((await handle(sign('token-1'))).status).toBe(503);
  });

  test('no token ever obtained and the store down: 503, logged, handler not run', async () => {
    const store = scriptedStore();
    store.failure = new Error('AccessDeniedException');
    const { handle, handler, logger } = setup(cachedTokenSource(store.source));
    const response = await handle(sign('token-1'));
    expect(response.status).toBe(503);
    expect(response.headers['retry-after']).toBe('5');
    expect(handler).not.toHaveBeenCalled();
    expect(logger.at('error')[0]?.msg).toMatch(/scripted-store unavailable: AccessDeniedException/);
  });

  describe('store timeout', () => {
    afterEach(() => jest.useRealTimers());

    test('a hanging store: 503 after timeoutMs, the request does not hang', async () => {
      jest.useFakeTimers();
      const store = scriptedStore();
      store.hang = true;
      const { handle, handler } = setup(cachedTokenSource(store.source, { timeoutMs: 2_000 }));
      let status: number | undefined;
      const pending = handle(sign('token-1')).then((response) => (status = response.status));
      await jest.advanceTimersByTimeAsync(1_999);
      expect(status).toBeUndefined();
      await jest.advanceTimersByTimeAsync(1);
      await pending;
      expect(status).toBe(503);
      expect(handler).not.toHaveBeenCalled();
    });
  });

  test('an authToken function is cached like a store (one call per account within the TTL)', async () => {
    const lookup = jest.fn(async () => 'token-1');
    const { handle } = setup(lookup);
    for (let i = 0; i < 5; i++) expect((await handle(sign('token-1'))).status).toBe(200);
    expect(lookup).toHaveBeenCalledTimes(1);
  });

  test('a request without AccountSid asks the store without one', async () => {
    const store = scriptedStore();
    const { handle } = setup(cachedTokenSource(store.source));
    const params = { Body: 'no account' };
    expect(
      (
        await handle({
          ...sign('token-1', params),
          body: encodeForm(params),
          headers: { ...sign('token-1', params).headers, 'content-type': FORM_CONTENT_TYPE },
        })
      ).status,
    ).toBe(200);
    expect(store.calls).toEqual([undefined]);
  });
});

describe('forged AccountSids against a one-secret store', () => {
  test("cost no store calls and cannot evict the real token; another account's secret still yields no token", async () => {
    const real = `AC${'a'.repeat(32)}`;
    let calls = 0;
    let storeUp = true;
    const source = new CachedTokenSource(
      {
        perAccount: false,
        getTokens: () => {
          calls += 1;
          if (!storeUp) throw new Error('store down');
          return [{ value: '0123456789abcdef0123456789abcdef', role: 'current', accountSid: real }];
        },
      },
      { maxEntries: 10 },
    );
    const handle = createWebhookHandler(() => '<Response/>', { authToken: source, logger: capturingLogger() });
    const genuine = () =>
      signedFormRequest({
        token: '0123456789abcdef0123456789abcdef',
        url: 'https://h.example/sms',
        params: smsParams({ AccountSid: real }),
      });
    expect((await handle(genuine())).status).toBe(200);
    for (let i = 0; i < 50; i++) {
      const forged = signedFormRequest({
        token: 'ffffffffffffffffffffffffffffffff',
        url: 'https://h.example/sms',
        params: smsParams({ AccountSid: `AC${i.toString(16).padStart(32, '0')}` }),
      });
      expect((await handle(forged)).status).toBe(403);
    }
    // One load, plus at most the rate-limited forced refreshes: never one per forged AccountSid.
    expect(calls).toBeLessThanOrEqual(2);
    storeUp = false;
    expect((await handle(genuine())).status).toBe(200);
    // The real token, claimed for another account, is not used for it.
    const otherAccount = signedFormRequest({
      token: '0123456789abcdef0123456789abcdef',
      url: 'https://h.example/sms',
      params: smsParams({ AccountSid: `AC${'b'.repeat(32)}` }),
    });
    expect((await handle(otherAccount)).status).toBe(403);
  });
});

/** The token cache every secret store goes through (docs/design.md, rule 6), driven by a fake clock and a scripted store. */
import {
  CachedTokenSource,
  TokenNotConfiguredError,
  TokenStoreUnavailableError,
  type TokenList,
  type TokenSource,
} from '@twiml-guard/core';

const SID_A = `AC${'a'.repeat(32)}`;
const SID_B = `AC${'b'.repeat(32)}`;

/** A store whose answers the test scripts, counting every call. */
class ScriptedStore implements TokenSource {
  readonly description = 'scripted';
  calls: (string | undefined)[] = [];
  tokens: TokenList = ['token-1'];
  failure: Error | undefined;
  /** When set, calls wait until the test releases them. */
  private gate: Promise<void> | undefined;
  private openGate: (() => void) | undefined;

  getTokens(accountSid?: string): Promise<TokenList> {
    this.calls.push(accountSid);
    const answer = async (): Promise<TokenList> => {
      if (this.gate) await this.gate;
      if (this.failure) throw this.failure;
      return this.tokens;
    };
    return answer();
  }

  hold(): void {
    this.gate = new Promise((resolve) => {
      this.openGate = resolve;
    });
  }

  release(): void {
    this.openGate?.();
    this.gate = undefined;
  }
}

function setup(options: ConstructorParameters<typeof CachedTokenSource>[1] = {}) {
  const clock = { now: 1_000_000 };
  const store = new ScriptedStore();
  const cache = new CachedTokenSource(store, { now: () => clock.now, ...options });
  return { clock, store, cache };
}

describe('lazy first fetch and TTL', () => {
  test('creating the cache does not call the store; the first request does', async () => {
    const { store, cache } = setup();
    expect(store.calls).toHaveLength(0);
    await expect(Promise.resolve(cache.getTokens())).resolves.toEqual(['token-1']);
    expect(store.calls).toHaveLength(1);
  });

  test('default TTL is 5 minutes: served from cache until then, re-read after', async () => {
    const { clock, store, cache } = setup();
    await cache.getTokens();
    clock.now += 5 * 60_000 - 1;
    store.tokens = ['token-2'];
    expect(await cache.getTokens()).toEqual(['token-1']);
    expect(store.calls).toHaveLength(1);
    clock.now += 1;
    expect(await cache.getTokens()).toEqual(['token-2']);
    expect(store.calls).toHaveLength(2);
  });

  test('a warm hit answers synchronously (no promise on the hot path)', async () => {
    const { cache } = setup();
    await cache.getTokens();
    expect(Array.isArray(cache.getTokens())).toBe(true);
  });

  test('ttlMs is configurable', async () => {
    const { clock, store, cache } = setup({ ttlMs: 1_000 });
    await cache.getTokens();
    clock.now += 1_000;
    await cache.getTokens();
    expect(store.calls).toHaveLength(2);
  });
});

describe('single-flight', () => {
  test('50 concurrent cold requests share one store call', async () => {
    const { store, cache } = setup();
    store.hold();
    const pending = Array.from({ length: 50 }, () => Promise.resolve(cache.getTokens()));
    store.release();
    const results = await Promise.all(pending);
    expect(store.calls).toHaveLength(1);
    expect(new Set(results).size).toBe(1);
  });

  test('concurrent cold requests for different accounts fetch once per account', async () => {
    const { store, cache } = setup();
    store.hold();
    const pending = [SID_A, SID_B, SID_A, SID_B, SID_A].map((sid) => Promise.resolve(cache.getTokens(sid)));
    store.release();
    await Promise.all(pending);
    expect(store.calls.sort()).toEqual([SID_A, SID_B]);
  });

  test('a failed single flight fails every waiter alike, then the next request retries after the backoff', async () => {
    const { clock, store, cache } = setup();
    store.failure = new Error('connection refused');
    store.hold();
    const pending = Array.from({ length: 5 }, () => Promise.resolve(cache.getTokens()));
    store.release();
    const settled = await Promise.allSettled(pending);
    expect(settled.every((result) => result.status === 'rejected' && result.reason instanceof TokenStoreUnavailableError)).toBe(true);
    expect(store.calls).toHaveLength(1);
    store.failure = undefined;
    // Inside the error backoff the store is not asked again.
    await expect(Promise.resolve(cache.getTokens())).rejects.toBeInstanceOf(TokenStoreUnavailableError);
    expect(store.calls).toHaveLength(1);
    clock.now += 1_000;
    expect(await cache.getTokens()).toEqual(['token-1']);
    expect(store.calls).toHaveLength(2);
  });
});

describe('forced refresh on a signature miss', () => {
  test('returns the re-read tokens once, then refuses inside minRefreshIntervalMs (default 10 s)', async () => {
    const { clock, store, cache } = setup();
    await cache.getTokens();
    store.tokens = ['token-2'];
    expect(await cache.refresh()).toEqual(['token-2']);
    expect(store.calls).toHaveLength(2);
    // A flood of forged requests inside the window costs no store calls.
    for (let i = 0; i < 100; i++) expect(await cache.refresh()).toBeUndefined();
    expect(store.calls).toHaveLength(2);
    clock.now += 10_000;
    store.tokens = ['token-3'];
    expect(await cache.refresh()).toEqual(['token-3']);
    expect(store.calls).toHaveLength(3);
  });

  test('the refreshed tokens replace the cached ones for later requests', async () => {
    const { store, cache } = setup();
    await cache.getTokens();
    store.tokens = ['token-2'];
    await cache.refresh();
    expect(await cache.getTokens()).toEqual(['token-2']);
  });

  test('rate limit is per account as well as global', async () => {
    const { clock, store, cache } = setup({ maxForcedRefreshesPerInterval: 3 });
    const sids = Array.from({ length: 6 }, (_, i) => `AC${i.toString(16).padStart(32, '0')}`);
    for (const sid of sids) await cache.getTokens(sid);
    store.calls = [];
    let tokens = 0;
    for (const sid of sids) {
      store.tokens = [`token-for-${sid}`];
      if (await cache.refresh(sid)) tokens++;
    }
    expect(tokens).toBe(3);
    expect(store.calls).toHaveLength(3);
    clock.now += 10_000;
    expect(await cache.refresh(sids[5])).toBeDefined();
  });

  test("a miss while another request's forced re-read is in flight waits for it instead of being refused", async () => {
    const { store, cache } = setup();
    await cache.getTokens();
    store.tokens = ['token-2'];
    store.hold();
    const first = cache.refresh();
    const second = cache.refresh();
    store.release();
    expect(await first).toEqual(['token-2']);
    expect(await second).toEqual(['token-2']);
    expect(store.calls).toHaveLength(2);
  });

  test('a refresh that fails returns undefined and keeps the cached tokens', async () => {
    const { store, cache } = setup();
    await cache.getTokens();
    store.failure = new Error('throttled');
    expect(await cache.refresh()).toBeUndefined();
    expect(await cache.getTokens()).toEqual(['token-1']);
  });
});

describe('stale-if-error, bounded', () => {
  test('serves the last good tokens while the store is down, up to TTL + maxStaleMs (default 1 h), then 503', async () => {
    const { clock, store, cache } = setup();
    await cache.getTokens();
    store.failure = new Error('store down');
    clock.now += 5 * 60_000;
    expect(await cache.getTokens()).toEqual(['token-1']);
    expect(cache.stats.staleServes).toBe(1);
    clock.now += 60 * 60_000 - 1;
    expect(await cache.getTokens()).toEqual(['token-1']);
    clock.now += 1;
    await expect(Promise.resolve(cache.getTokens())).rejects.toBeInstanceOf(TokenStoreUnavailableError);
  });

  test('the store recovers: fresh tokens replace the stale ones', async () => {
    const { clock, store, cache } = setup();
    await cache.getTokens();
    store.failure = new Error('store down');
    clock.now += 5 * 60_000;
    await cache.getTokens();
    store.failure = undefined;
    store.tokens = ['token-2'];
    clock.now += 1_000;
    expect(await cache.getTokens()).toEqual(['token-2']);
  });

  test('no token ever obtained and the store down: TokenStoreUnavailableError (503), not a hang', async () => {
    const { store, cache } = setup();
    store.failure = new Error('ECONNREFUSED');
    await expect(Promise.resolve(cache.getTokens(SID_A))).rejects.toThrow(/unavailable: ECONNREFUSED/);
  });

  test('TokenNotConfiguredError passes through untouched (a deployment mistake, not an outage)', async () => {
    const { store, cache } = setup();
    store.failure = new TokenNotConfiguredError('secret name not set');
    await expect(Promise.resolve(cache.getTokens())).rejects.toBeInstanceOf(TokenNotConfiguredError);
  });
});

describe('store timeout', () => {
  afterEach(() => jest.useRealTimers());

  test('a store that never answers fails after timeoutMs (default 3 s) instead of hanging the request', async () => {
    jest.useFakeTimers();
    const hanging: TokenSource = { description: 'hanging', getTokens: () => new Promise<TokenList>(() => undefined) };
    const cache = new CachedTokenSource(hanging);
    let settled: unknown;
    const pending = Promise.resolve(cache.getTokens()).catch((error: unknown) => (settled = error));
    await jest.advanceTimersByTimeAsync(2_999);
    expect(settled).toBeUndefined();
    await jest.advanceTimersByTimeAsync(1);
    await pending;
    expect(settled).toBeInstanceOf(TokenStoreUnavailableError);
    expect((settled as Error).message).toMatch(/no answer within 3000 ms/);
  });

  test('a timeout with cached tokens serves them stale', async () => {
    jest.useFakeTimers();
    let hang = false;
    const clock = { now: 0 };
    const store: TokenSource = { getTokens: () => (hang ? new Promise<TokenList>(() => undefined) : ['token-1']) };
    const cache = new CachedTokenSource(store, { now: () => clock.now, timeoutMs: 50 });
    await cache.getTokens();
    hang = true;
    clock.now += 5 * 60_000;
    const pending = Promise.resolve(cache.getTokens());
    await jest.advanceTimersByTimeAsync(50);
    expect(await pending).toEqual(['token-1']);
  });
});

describe('per-account entries', () => {
  test('each AccountSid is cached separately, and the store sees the AccountSid', async () => {
    const store: TokenSource = { getTokens: (sid) => [`token-of-${sid}`] };
    const cache = new CachedTokenSource(store);
    expect(await cache.getTokens(SID_A)).toEqual([`token-of-${SID_A}`]);
    expect(await cache.getTokens(SID_B)).toEqual([`token-of-${SID_B}`]);
  });

  test('an unknown account (store answers []) is negatively cached for the TTL', async () => {
    const { store, cache } = setup();
    store.tokens = [];
    for (let i = 0; i < 10; i++) expect(await cache.getTokens(SID_A)).toEqual([]);
    expect(store.calls).toHaveLength(1);
  });

  test('least recently used accounts are dropped beyond maxEntries', async () => {
    const { store, cache } = setup({ maxEntries: 2 });
    await cache.getTokens(SID_A);
    await cache.getTokens(SID_B);
    await cache.getTokens(SID_A);
    await cache.getTokens(`AC${'c'.repeat(32)}`);
    store.calls = [];
    await cache.getTokens(SID_A);
    await cache.getTokens(SID_B);
    expect(store.calls).toEqual([SID_B]);
  });

  test('invalidate drops one account, or all', async () => {
    const { store, cache } = setup();
    await cache.getTokens(SID_A);
    await cache.getTokens(SID_B);
    cache.invalidate(SID_A);
    await cache.getTokens(SID_A);
    await cache.getTokens(SID_B);
    expect(store.calls).toEqual([SID_A, SID_B, SID_A]);
    cache.invalidate();
    await cache.getTokens(SID_B);
    expect(store.calls).toHaveLength(4);
  });
});

describe('prepare (SDK import) runs outside the store timeout', () => {
  test('a slow cold import does not count as the store being slow', async () => {
    const cache = new CachedTokenSource(
      {
        prepare: () => new Promise<void>((resolve) => setTimeout(resolve, 150)),
        getTokens: () => ['token-1'],
      },
      { timeoutMs: 50 },
    );
    expect(await cache.getTokens()).toEqual(['token-1']);
  });
  test('a store call slower than the timeout still fails', async () => {
    const cache = new CachedTokenSource(
      { prepare: () => undefined, getTokens: () => new Promise<string[]>((resolve) => setTimeout(() => resolve(['late']), 150)) },
      { timeoutMs: 50 },
    );
    await expect(Promise.resolve(cache.getTokens())).rejects.toBeInstanceOf(TokenStoreUnavailableError);
  });
});

describe('a store call the cache gives up on is aborted', () => {
  test('the signal handed to getTokens aborts at the timeout', async () => {
    const signals: AbortSignal[] = [];
    const cache = new CachedTokenSource(
      { getTokens: (_sid, options) => (options?.signal && signals.push(options.signal), new Promise<string[]>(() => undefined)) },
      { timeoutMs: 30 },
    );
    await expect(Promise.resolve(cache.getTokens())).rejects.toBeInstanceOf(TokenStoreUnavailableError);
    expect(signals).toHaveLength(1);
    expect(signals[0]?.aborted).toBe(true);
  });
  test('a call that answers in time is not aborted', async () => {
    const signals: AbortSignal[] = [];
    const cache = new CachedTokenSource(
      { getTokens: (_sid, options) => (options?.signal && signals.push(options.signal), ['token-1']) },
      { timeoutMs: 30 },
    );
    expect(await cache.getTokens()).toEqual(['token-1']);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(signals[0]?.aborted).toBe(false);
  });
});

describe('first lookups of unknown accounts are rate-limited (per-account sources)', () => {
  test('a flood of invented AccountSids costs at most maxNewAccountsPerInterval store calls; known accounts keep being served', async () => {
    let clock = 1_000_000;
    let calls = 0;
    const known = `AC${'a'.repeat(32)}`;
    const cache = new CachedTokenSource(
      { getTokens: (sid) => (calls++, sid === known ? ['token-known'] : []) },
      { now: () => clock, maxNewAccountsPerInterval: 5 },
    );
    expect(await cache.getTokens(known)).toEqual(['token-known']);
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => Promise.resolve(cache.getTokens(`AC${i.toString(16).padStart(32, '0')}`))),
    );
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(4);
    expect(results.filter((result) => result.status === 'rejected' && result.reason instanceof TokenStoreUnavailableError)).toHaveLength(
      16,
    );
    expect(calls).toBe(5);
    expect(await cache.getTokens(known)).toEqual(['token-known']);
    clock += 10_000;
    expect(await cache.getTokens(`AC${'b'.repeat(32)}`)).toEqual([]);
    expect(calls).toBe(6);
  });
});

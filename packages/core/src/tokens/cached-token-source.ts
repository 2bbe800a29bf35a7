/**
 * The cache every secret store goes through (docs/design.md, rule 6): lazy, per AccountSid, single-flight, a TTL,
 * one rate-limited forced refresh on a signature miss, stale-if-error for a bounded time, and a
 * timeout so a hanging store becomes a fast 503 instead of a hung invocation.
 */
import { TokenNotConfiguredError, TokenStoreUnavailableError, type TokenList, type TokenSource } from './token-source.js';

/**
 * How `cachedTokenSource` (and every adapter's secret-store source, through its `cache` option)
 * caches tokens. All durations are in milliseconds.
 *
 * @example
 * ```ts
 * import { secretsManagerTokens } from '@twiml-guard/aws-lambda';
 *
 * secretsManagerTokens({ secretId: 'twilio/auth-token', cache: { ttlMs: 60_000, maxStaleMs: 10 * 60_000 } });
 * ```
 */
export interface TokenCacheOptions {
  /**
   * How long fetched tokens are used without asking the store.
   * @default 300000 (5 minutes)
   */
  readonly ttlMs?: number;
  /**
   * At most one forced refresh (after a signature miss) per account in this window, so forged
   * traffic cannot hammer the store.
   * @default 10000 (10 s)
   */
  readonly minRefreshIntervalMs?: number;
  /**
   * Forced refreshes across all accounts per `minRefreshIntervalMs`: forged traffic naming many real
   * accounts stays bounded.
   * @default 10
   */
  readonly maxForcedRefreshesPerInterval?: number;
  /**
   * How long past their TTL tokens keep serving while the store fails.
   * @default 3600000 (1 hour)
   */
  readonly maxStaleMs?: number;
  /**
   * A store call slower than this counts as a failure (503 when nothing is cached).
   * @default 3000 (3 s)
   */
  readonly timeoutMs?: number;
  /**
   * After a failure, answer from cache (or 503) without calling the store for this long.
   * @default 1000 (1 s)
   */
  readonly errorBackoffMs?: number;
  /**
   * First lookups of accounts not in the cache, per `minRefreshIntervalMs`, for per-account sources:
   * the AccountSid is unsigned, so a flood of invented ones would otherwise cost a store call each.
   * Beyond it: 503 (Twilio retries).
   * @default 100
   */
  readonly maxNewAccountsPerInterval?: number;
  /**
   * Accounts kept (least recently used are dropped).
   * @default 1000
   */
  readonly maxEntries?: number;
  /**
   * The clock, in epoch milliseconds (tests inject their own).
   * @default `Date.now`
   */
  readonly now?: () => number;
}

/** Counters a `CachedTokenSource` keeps, for tests and metrics. */
export interface CacheStats {
  /** Calls made to the wrapped store. */
  storeCalls: number;
  /** Requests answered with tokens past their TTL while the store failed. */
  staleServes: number;
}

interface Entry {
  tokens?: TokenList;
  fetchedAt: number;
  inflight?: Promise<TokenList>;
  failedAt?: number;
  forcedAt?: number;
}

/**
 * A `TokenSource` in front of a secret store: lazy, per AccountSid, single-flight, a TTL, one
 * rate-limited forced refresh on a signature miss, stale-if-error for a bounded time, and a timeout
 * so a hanging store becomes a fast 503. Made with `cachedTokenSource`.
 */
export class CachedTokenSource implements TokenSource {
  /** `cached(<the store's description>)`, for log lines. */
  readonly description: string;
  /** Store calls and stale serves so far. */
  readonly stats: CacheStats = { storeCalls: 0, staleServes: 0 };
  private readonly entries = new Map<string, Entry>();
  private readonly ttlMs: number;
  private readonly minRefreshIntervalMs: number;
  private readonly maxForcedRefreshesPerInterval: number;
  private forcedWindowStart = Number.NEGATIVE_INFINITY;
  private forcedInWindow = 0;
  private readonly maxNewAccountsPerInterval: number;
  private newAccountsWindowStart = Number.NEGATIVE_INFINITY;
  private newAccountsInWindow = 0;
  private readonly maxStaleMs: number;
  private readonly timeoutMs: number;
  private readonly errorBackoffMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(
    private readonly source: TokenSource,
    options: TokenCacheOptions = {},
  ) {
    this.description = `cached(${source.description ?? 'custom'})`;
    this.ttlMs = options.ttlMs ?? 5 * 60_000;
    this.minRefreshIntervalMs = options.minRefreshIntervalMs ?? 10_000;
    this.maxForcedRefreshesPerInterval = options.maxForcedRefreshesPerInterval ?? 10;
    this.maxStaleMs = options.maxStaleMs ?? 60 * 60_000;
    this.timeoutMs = options.timeoutMs ?? 3_000;
    this.errorBackoffMs = options.errorBackoffMs ?? 1_000;
    this.maxEntries = options.maxEntries ?? 1_000;
    this.maxNewAccountsPerInterval = options.maxNewAccountsPerInterval ?? 100;
    this.now = options.now ?? Date.now;
  }

  /** The wrapped source's: the pipeline reads it to tell an unknown account from a missing secret. */
  get perAccount(): boolean | undefined {
    return this.source.perAccount;
  }

  /** The cached tokens while fresh; otherwise one store call shared by every concurrent request. */
  getTokens(requestAccountSid?: string): TokenList | Promise<TokenList> {
    const accountSid = this.lookupKey(requestAccountSid);
    if (accountSid !== undefined && !this.entries.has(accountSid) && !this.admitNewAccount()) {
      return Promise.reject(
        new TokenStoreUnavailableError('too many first lookups of unknown AccountSids: not asking the store (forged traffic?)'),
      );
    }
    const entry = this.entry(accountSid ?? '');
    if (entry.tokens && this.now() - entry.fetchedAt < this.ttlMs) return entry.tokens;
    return this.load(entry, accountSid);
  }

  /**
   * A forced re-read, at most once per `minRefreshIntervalMs` per account; `undefined` when refused or failed.
   * Rejects with `TokenStoreUnavailableError` when no fresh tokens could be had and the cached ones are past
   * their TTL (served stale while the store fails): a rotation may have promoted a token this instance never
   * saw, so a miss is an outage (503), not proof of a forged signature (403).
   */
  async refresh(requestAccountSid?: string): Promise<TokenList | undefined> {
    const accountSid = this.lookupKey(requestAccountSid);
    const entry = this.entry(accountSid ?? '');
    const before = entry.tokens;
    const refreshed = await this.forcedReread(entry, accountSid);
    if (refreshed !== undefined && refreshed !== before) return refreshed;
    if (entry.tokens !== undefined && this.now() - entry.fetchedAt >= this.ttlMs) {
      throw new TokenStoreUnavailableError(
        `token store ${this.source.description ?? ''} unavailable: the cached tokens are past their TTL and could not be re-read`,
      );
    }
    return undefined;
  }

  private async forcedReread(entry: Entry, accountSid: string | undefined): Promise<TokenList | undefined> {
    const now = this.now();
    if (entry.forcedAt !== undefined && now - entry.forcedAt < this.minRefreshIntervalMs) return this.sinceLastForced(entry);
    if (now - this.forcedWindowStart >= this.minRefreshIntervalMs) {
      this.forcedWindowStart = now;
      this.forcedInWindow = 0;
    }
    if (this.forcedInWindow >= this.maxForcedRefreshesPerInterval) return this.sinceLastForced(entry);
    this.forcedInWindow++;
    entry.forcedAt = now;
    try {
      const before = entry.tokens;
      const tokens = await this.load(entry, accountSid, true);
      return tokens === before ? undefined : tokens;
    } catch {
      return undefined;
    }
  }

  /**
   * A refresh refused by the rate limit while the last forced re-read is still in flight waits for
   * it: a request that missed just after a promotion is not refused because another one asked first.
   * Otherwise `undefined`: forged floods cost neither a store call nor a second verification.
   */
  private async sinceLastForced(entry: Entry): Promise<TokenList | undefined> {
    return entry.inflight ? entry.inflight.catch(() => undefined) : undefined;
  }

  private admitNewAccount(): boolean {
    const now = this.now();
    if (now - this.newAccountsWindowStart >= this.minRefreshIntervalMs) {
      this.newAccountsWindowStart = now;
      this.newAccountsInWindow = 0;
    }
    return this.newAccountsInWindow++ < this.maxNewAccountsPerInterval;
  }

  /** A one-secret store ignores the request's AccountSid: one cache entry, whatever forged traffic claims. */
  private lookupKey(accountSid: string | undefined): string | undefined {
    return this.source.perAccount === false ? undefined : accountSid;
  }

  /** Drops cached tokens (all accounts without an argument). */
  invalidate(accountSid?: string): void {
    if (accountSid === undefined) this.entries.clear();
    else this.entries.delete(accountSid);
  }

  private entry(key: string): Entry {
    let entry = this.entries.get(key);
    if (entry) {
      // Most deployments have one account: re-inserting (LRU order) costs a lookup per request for nothing.
      if (this.entries.size === 1) return entry;
      this.entries.delete(key);
    } else {
      entry = { fetchedAt: 0 };
      if (this.entries.size >= this.maxEntries) {
        const oldest = this.entries.keys().next().value;
        if (oldest !== undefined) this.entries.delete(oldest);
      }
    }
    this.entries.set(key, entry);
    return entry;
  }

  private load(entry: Entry, accountSid: string | undefined, forced = false): Promise<TokenList> {
    if (entry.inflight) return entry.inflight;
    if (!forced && entry.failedAt !== undefined && this.now() - entry.failedAt < this.errorBackoffMs) {
      // A rejected promise, never a synchronous throw: callers chain on getTokens().
      return new Promise((resolve) => resolve(this.staleOrFail(entry, new Error('store failed moments ago; backing off'))));
    }
    this.stats.storeCalls++;
    const inflight = this.callStore(accountSid)
      .then(
        (tokens) => {
          entry.tokens = tokens;
          entry.fetchedAt = this.now();
          entry.failedAt = undefined;
          return tokens;
        },
        (error: unknown) => {
          if (error instanceof TokenNotConfiguredError) throw error;
          entry.failedAt = this.now();
          return this.staleOrFail(entry, error);
        },
      )
      .finally(() => {
        entry.inflight = undefined;
      });
    entry.inflight = inflight;
    return inflight;
  }

  private staleOrFail(entry: Entry, cause: unknown): TokenList {
    if (entry.tokens && this.now() - entry.fetchedAt < this.ttlMs + this.maxStaleMs) {
      this.stats.staleServes++;
      return entry.tokens;
    }
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new TokenStoreUnavailableError(`token store ${this.source.description ?? ''} unavailable: ${reason}`, { cause });
  }

  private async callStore(accountSid: string | undefined): Promise<TokenList> {
    // Outside the timeout: importing the SDK on a cold start can take longer than the store call.
    await this.source.prepare?.();
    const abandon = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const error = new Error(`no answer within ${this.timeoutMs} ms`);
        // The SDK call is abandoned: tell it, so it does not go on retrying a store that is down.
        abandon.abort(error);
        reject(error);
      }, this.timeoutMs);
      if (typeof timer === 'object' && 'unref' in timer) timer.unref();
    });
    const call = Promise.resolve().then(() => this.source.getTokens(accountSid, { signal: abandon.signal }));
    return Promise.race([call, timeout]).finally(() => clearTimeout(timer));
  }
}

/**
 * Wraps a token source in the cache (a source already cached is returned as it is).
 * @param source - the store to ask, e.g. your own `TokenSource`
 * @param options - the cache's timings and limits
 * @returns the cached source, to pass as `authToken`
 * @example
 * ```ts
 * import { cachedTokenSource } from '@twiml-guard/core';
 *
 * const authToken = cachedTokenSource({ description: 'vault', getTokens: async () => [await vault.read('twilio/auth-token')] }, { ttlMs: 60_000 });
 * ```
 */
export function cachedTokenSource(source: TokenSource, options?: TokenCacheOptions): CachedTokenSource {
  return source instanceof CachedTokenSource ? source : new CachedTokenSource(source, options);
}

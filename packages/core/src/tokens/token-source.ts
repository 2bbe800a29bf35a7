/**
 * Where auth tokens come from. A source returns every token that may currently sign: during a
 * rotation that is the current one, the pending one, and the previous one until it expires.
 */
import { brand, isBranded } from '../cross-copy-brand.js';

/** Where a token stands in a rotation: in use, about to be, or recently replaced. */
export type TokenRole = 'current' | 'pending' | 'previous';

/** A token with what a source knows about it: its role, its expiry, its account. */
export interface AuthTokenEntry {
  /** The Auth Token itself. */
  readonly value: string;
  /** Its place in a rotation (only for log lines and ordering). */
  readonly role?: TokenRole;
  /** Epoch ms after which this token is no longer accepted (a previous token's grace period). */
  readonly expiresAt?: number;
  /** The account the secret names: the token is used only for requests of that AccountSid. */
  readonly accountSid?: string;
}

/** Every token that may currently sign, as strings or entries; each is tried in order. */
export type TokenList = readonly (string | AuthTokenEntry)[];

/** What the cache hands a store call: `signal` aborts when the cache gives up on it (timeout). */
export interface TokenRequestOptions {
  /**
   * Aborts when the cache stops waiting for the call.
   * @default none: the call is never aborted
   */
  readonly signal?: AbortSignal;
}

/**
 * Where auth tokens come from: a secret store, the environment, or your own lookup. Every store
 * source the adapters ship is wrapped in `cachedTokenSource`.
 *
 * @example
 * ```ts
 * import { cachedTokenSource, type TokenSource } from '@twiml-guard/core';
 * import { twilioWebhook } from '@twiml-guard/aws-lambda'; // or any adapter
 *
 * const fromVault: TokenSource = {
 *   description: 'my-vault:twilio',
 *   getTokens: async () => [await vault.read('twilio/auth-token')],
 * };
 * export const handler = twilioWebhook(handleSms, { authToken: cachedTokenSource(fromVault) });
 * ```
 */
export interface TokenSource {
  /**
   * `accountSid` is the request's AccountSid, already checked against `^AC[0-9a-fA-F]{32}$`. Pass
   * `options.signal` to the SDK call, so a call the cache abandoned stops retrying in the background.
   */
  getTokens(accountSid?: string, options?: TokenRequestOptions): TokenList | Promise<TokenList>;
  /** Re-reads the store after a signature miss (a promotion inside the cache TTL). Rate-limited by the cache. */
  refresh?(accountSid?: string): TokenList | undefined | Promise<TokenList | undefined>;
  /**
   * Loads what the first call needs (an SDK module, a client) before the store timeout starts:
   * a slow cold import is not the store being down.
   */
  prepare?(): void | Promise<void>;
  /**
   * `false`: one secret whatever the AccountSid. The cache then keys it once and never passes the
   * request's AccountSid (unsigned, attacker-chosen) on, so forged AccountSids cost no store calls.
   * Default: tokens are looked up per AccountSid.
   */
  readonly perAccount?: boolean;
  /** Shown in log lines, e.g. `secrets-manager:twilio/auth-token`. Never a token. */
  readonly description?: string;
}

const NOT_CONFIGURED = Symbol.for('@twiml-guard/core:TokenNotConfiguredError');
const STORE_UNAVAILABLE = Symbol.for('@twiml-guard/core:TokenStoreUnavailableError');

/**
 * No token is configured anywhere: a deployment mistake, answered with 500 and a log line saying how to fix it.
 * `instanceof` recognises one thrown by another copy of core (its CommonJS or ES module build).
 */
export class TokenNotConfiguredError extends Error {
  override readonly name = 'TokenNotConfiguredError';
  /**
   * What the user should do, when the source knows better than the general advice (set
   * `TWILIO_AUTH_TOKEN`, pass `authToken`, or the platform's own way), which the log line gives otherwise.
   */
  readonly remedy: string | undefined;
  /**
   * @param message - what is missing, for the log line
   * @param options - `cause`, and `remedy`: what to do instead of the general advice
   */
  constructor(message?: string, options?: { cause?: unknown; remedy?: string }) {
    super(message, options);
    this.remedy = options?.remedy;
    brand(this, NOT_CONFIGURED);
  }
  static override [Symbol.hasInstance]<T>(this: abstract new (...args: never[]) => T, value: unknown): value is T {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class instanceof was called on (a subclass keeps its own check)
    return isBranded(this, TokenNotConfiguredError, NOT_CONFIGURED, value);
  }
}

/** The secret store failed, timed out or throttled, and nothing usable is cached: 503 (recognised across copies of core too). */
export class TokenStoreUnavailableError extends Error {
  override readonly name = 'TokenStoreUnavailableError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    brand(this, STORE_UNAVAILABLE);
  }
  static override [Symbol.hasInstance]<T>(this: abstract new (...args: never[]) => T, value: unknown): value is T {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class instanceof was called on (a subclass keeps its own check)
    return isBranded(this, TokenStoreUnavailableError, STORE_UNAVAILABLE, value);
  }
}

export function toEntry(token: string | AuthTokenEntry): AuthTokenEntry {
  return typeof token === 'string' ? { value: token, role: 'current' } : token;
}

/** A token the pipeline can use: a non-empty string, or an entry whose `value` is one. */
export function isWellFormedToken(token: unknown): token is string | AuthTokenEntry {
  if (typeof token === 'string') return token !== '';
  if (typeof token !== 'object' || token === null) return false;
  const value = (token as { value?: unknown }).value;
  return typeof value === 'string' && value !== '';
}

/** Usable tokens in order, without duplicates or expired previous tokens. Anything but a list of tokens gives none. */
export function usableTokens(list: TokenList, now: number, accountSid?: string): string[] {
  const values: string[] = [];
  if (!Array.isArray(list)) return values;
  for (const token of list as readonly unknown[]) {
    if (!isWellFormedToken(token)) continue;
    const entry = toEntry(token);
    if (entry.expiresAt !== undefined && entry.expiresAt <= now) continue;
    // Another account's secret: that account signs with its own token (sub-accounts).
    if (accountSid !== undefined && entry.accountSid !== undefined && entry.accountSid !== accountSid) continue;
    if (!values.includes(entry.value)) values.push(entry.value);
  }
  return values;
}

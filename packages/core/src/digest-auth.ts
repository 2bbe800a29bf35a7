/**
 * HTTP Digest authentication (RFC 7616) as Twilio uses it on `https://user:pass@host/...` webhook
 * URLs. The nonce is stateless — a timestamp and an HMAC under a key derived from the
 * credentials — so any instance of a scaled-out function can check it without a shared store.
 */
import { hmacSha256Base64Url, md5Hex, randomBase64Url, sha256 } from './crypto/index.js';
import { andThen, both, syncResult, type MaybePromise } from './crypto/maybe.js';
import { firstHeader } from './headers.js';
import { safeEqual, safeEqualSecretMaybe } from './safe-equal.js';
import type { WebhookHeaders } from './types.js';

/** The Digest algorithms the check speaks (RFC 7616): `MD5` is what every HTTP client supports. */
export type DigestAlgorithm = 'MD5' | 'MD5-sess' | 'SHA-256' | 'SHA-256-sess';

/**
 * HTTP Digest credentials Twilio must send: configure the webhook as `https://user:pass@host/path`
 * and Twilio answers the challenge. Checked before the signature.
 *
 * @example
 * ```ts
 * import { twilioWebhook } from '@twiml-guard/aws-lambda'; // or any adapter
 *
 * export const handler = twilioWebhook(handleSms, { digestAuth: { username: 'twilio', password: process.env.WEBHOOK_PASSWORD! } });
 * ```
 */
export interface DigestAuthOptions {
  /** The user name in the webhook URL. */
  readonly username: string;
  /** The password in the webhook URL; never logged. */
  readonly password: string;
  /**
   * The realm named in the challenge.
   * @default 'twilio-webhook'
   */
  readonly realm?: string;
  /**
   * The hash algorithm: `MD5` is the one every HTTP client speaks; `SHA-256` where the client supports it.
   * @default 'MD5'
   */
  readonly algorithm?: DigestAlgorithm;
  /**
   * How long a nonce is accepted, in milliseconds; an older one gets a fresh challenge marked `stale`.
   * @default 300000 (5 minutes)
   */
  readonly nonceTtlMs?: number;
  /**
   * Key for the nonce HMACs. The default is derived from the credentials, so every instance agrees
   * without a shared store.
   * @default derived from `username` and `password`
   */
  readonly nonceSecret?: string;
}

/** The result of a Digest check: `ok`, or the reason it failed (logged; the response is a bare 401). */
export type DigestOutcome =
  | { readonly ok: true }
  | {
      readonly ok: false;
      readonly reason:
        | 'missing'
        | 'malformed'
        | 'wrong-credentials'
        | 'stale-nonce'
        | 'bad-nonce'
        | 'wrong-uri'
        | 'wrong-realm'
        | 'wrong-algorithm';
    };

const DEFAULT_REALM = 'twilio-webhook';

export function digestRealm(options: DigestAuthOptions): string {
  return (options.realm ?? DEFAULT_REALM).replace(/["\\]/g, '');
}

function nonceKey(options: DigestAuthOptions): MaybePromise<string> {
  return options.nonceSecret ?? sha256(`twiml-guard digest nonce\0${options.username}\0${options.password}`, 'hex');
}

function nonceMac(options: DigestAuthOptions, issuedAt: string): MaybePromise<string> {
  return andThen(
    andThen(nonceKey(options), (key) => hmacSha256Base64Url(key, `${issuedAt}:${digestRealm(options)}`)),
    (mac) => mac.slice(0, 22),
  );
}

/** Node only (synchronous); everywhere: `createNonceAsync`. */
export function createNonce(options: DigestAuthOptions, now: number = Date.now()): string {
  return syncResult(createNonceMaybe(options, now), 'createNonce', 'createNonceAsync');
}

/**
 * A stateless nonce: the issue time and an HMAC of it. `createNonce` on every runtime.
 * @param options - the `digestAuth` option
 * @param now - the issue time, in epoch milliseconds
 */
export async function createNonceAsync(options: DigestAuthOptions, now: number = Date.now()): Promise<string> {
  return createNonceMaybe(options, now);
}

function createNonceMaybe(options: DigestAuthOptions, now: number): MaybePromise<string> {
  const issuedAt = now.toString(36);
  return andThen(nonceMac(options, issuedAt), (mac) => `${issuedAt}.${mac}`);
}

type NonceState = 'valid' | 'stale' | 'forged';

/**
 * `valid`, `stale` (ours but expired: the client retries with the new nonce without asking the user) or `forged`.
 * Node only (synchronous); everywhere: `checkNonceAsync`.
 */
export function checkNonce(options: DigestAuthOptions, nonce: string, now: number = Date.now()): NonceState {
  return syncResult(checkNonceMaybe(options, nonce, now), 'checkNonce', 'checkNonceAsync');
}

/**
 * `checkNonce` on every runtime.
 * @param options - the `digestAuth` option the nonce was created with
 * @param nonce - the nonce the client sent back
 * @param now - the current time, in epoch milliseconds
 * @returns `valid`, `stale` (ours but expired) or `forged`
 */
export async function checkNonceAsync(options: DigestAuthOptions, nonce: string, now: number = Date.now()): Promise<NonceState> {
  return checkNonceMaybe(options, nonce, now);
}

function checkNonceMaybe(options: DigestAuthOptions, nonce: string, now: number): MaybePromise<NonceState> {
  const dot = nonce.indexOf('.');
  if (dot <= 0) return 'forged';
  const issuedAt = nonce.slice(0, dot);
  if (!/^[0-9a-z]{1,12}$/.test(issuedAt)) return 'forged';
  return andThen(nonceMac(options, issuedAt), (mac): NonceState => {
    if (!safeEqual(nonce.slice(dot + 1), mac)) return 'forged';
    const age = now - parseInt(issuedAt, 36);
    if (age < -60_000) return 'forged';
    return age > (options.nonceTtlMs ?? 5 * 60_000) ? 'stale' : 'valid';
  });
}

/**
 * The `WWW-Authenticate` value of a 401 challenge, with a fresh nonce.
 * Node only (synchronous); everywhere: `digestChallengeAsync`.
 * @param options - the `digestAuth` option
 * @param stale - `true` when the client's nonce expired (it retries without asking for the password)
 * @param now - the current time, in epoch milliseconds
 */
export function digestChallenge(options: DigestAuthOptions, stale = false, now: number = Date.now()): string {
  return syncResult(digestChallengeMaybe(options, stale, now), 'digestChallenge', 'digestChallengeAsync');
}

/**
 * `digestChallenge` on every runtime.
 * @param options - the `digestAuth` option
 * @param stale - `true` when the client's nonce expired
 * @param now - the current time, in epoch milliseconds
 */
export async function digestChallengeAsync(options: DigestAuthOptions, stale = false, now: number = Date.now()): Promise<string> {
  return digestChallengeMaybe(options, stale, now);
}

/** The challenge, synchronous where the hash is (the pipeline's shared path). */
export function digestChallengeMaybe(options: DigestAuthOptions, stale: boolean, now: number = Date.now()): MaybePromise<string> {
  return andThen(createNonceMaybe(options, now), (nonce) => {
    const fields = [
      `realm="${digestRealm(options)}"`,
      'qop="auth"',
      `algorithm=${options.algorithm ?? 'MD5'}`,
      `nonce="${nonce}"`,
      `opaque="${randomBase64Url(12)}"`,
    ];
    if (stale) fields.push('stale=true');
    return `Digest ${fields.join(', ')}`;
  });
}

/** Parses `Digest k=v, k="quoted, value", ...`; `undefined` when it is not a well-formed Digest header. */
export function parseDigestHeader(header: string): Map<string, string> | undefined {
  const match = /^digest\s+/i.exec(header);
  if (!match) return undefined;
  const fields = new Map<string, string>();
  const pattern = /\s*([A-Za-z0-9_*-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,"]*))\s*(,|$)/y;
  pattern.lastIndex = match[0].length;
  while (pattern.lastIndex < header.length) {
    const field = pattern.exec(header);
    if (!field) return undefined;
    const name = (field[1] as string).toLowerCase();
    if (fields.has(name)) return undefined;
    fields.set(name, field[2] !== undefined ? field[2].replace(/\\(.)/g, '$1') : (field[3] ?? ''));
    if (field[4] === '') break;
  }
  return fields;
}

/** MD5 is synchronous everywhere (our own on web-standard runtimes); SHA-256 is WebCrypto's there. */
function hashFor(algorithm: DigestAlgorithm): (text: string) => MaybePromise<string> {
  return algorithm.startsWith('SHA-256') ? (text) => sha256(text, 'hex') : md5Hex;
}

/** What a client hashes into a Digest `response` value (RFC 7616 §3.4.1). */
export interface DigestResponseInput {
  algorithm: DigestAlgorithm;
  username: string;
  realm: string;
  password: string;
  method: string;
  uri: string;
  nonce: string;
  nc: string;
  cnonce: string;
}

/** The `response` value a client computes (RFC 7616 §3.4.1), qop=auth. Node only (synchronous) for SHA-256; everywhere: `digestResponseAsync`. */
export function digestResponse(input: DigestResponseInput): string {
  return syncResult(digestResponseMaybe(input), 'digestResponse', 'digestResponseAsync');
}

/** `digestResponse` on every runtime. */
export async function digestResponseAsync(input: DigestResponseInput): Promise<string> {
  return digestResponseMaybe(input);
}

function digestResponseMaybe(input: DigestResponseInput): MaybePromise<string> {
  const hash = hashFor(input.algorithm);
  const baseHa1 = hash(`${input.username}:${input.realm}:${input.password}`);
  const ha1 = input.algorithm.endsWith('-sess') ? andThen(baseHa1, (base) => hash(`${base}:${input.nonce}:${input.cnonce}`)) : baseHa1;
  return andThen(both(ha1, hash(`${input.method}:${input.uri}`)), ([first, second]) =>
    hash(`${first}:${input.nonce}:${input.nc}:${input.cnonce}:auth:${second}`),
  );
}

/**
 * Checks the request's Digest credentials. `requestTargets` are the forms the `uri` field may take
 * for this request (path + query as the client sent it, or the absolute public URL).
 * Node only (synchronous) for SHA-256; everywhere: `checkDigestAuthAsync`.
 * @param headers - the request headers (`authorization` is read)
 * @param method - the HTTP method
 * @param requestTargets - the forms the `uri` field may take for this request
 * @param options - the `digestAuth` option
 * @param now - the current time, in epoch milliseconds
 */
export function checkDigestAuth(
  headers: WebhookHeaders,
  method: string,
  requestTargets: readonly string[],
  options: DigestAuthOptions,
  now: number = Date.now(),
): DigestOutcome {
  return syncResult(checkDigestAuthMaybe(headers, method, requestTargets, options, now), 'checkDigestAuth', 'checkDigestAuthAsync');
}

/**
 * `checkDigestAuth` on every runtime.
 * @param headers - the request headers (`authorization` is read)
 * @param method - the HTTP method
 * @param requestTargets - the forms the `uri` field may take for this request
 * @param options - the `digestAuth` option
 * @param now - the current time, in epoch milliseconds
 */
export async function checkDigestAuthAsync(
  headers: WebhookHeaders,
  method: string,
  requestTargets: readonly string[],
  options: DigestAuthOptions,
  now: number = Date.now(),
): Promise<DigestOutcome> {
  return checkDigestAuthMaybe(headers, method, requestTargets, options, now);
}

/** The check, synchronous where the hash is (the pipeline's shared path). */
export function checkDigestAuthMaybe(
  headers: WebhookHeaders,
  method: string,
  requestTargets: readonly string[],
  options: DigestAuthOptions,
  now: number = Date.now(),
): MaybePromise<DigestOutcome> {
  const header = firstHeader(headers, 'authorization');
  if (!header) return { ok: false, reason: 'missing' };
  const fields = parseDigestHeader(header);
  if (!fields) return { ok: false, reason: 'malformed' };
  const username = fields.get('username');
  const nonce = fields.get('nonce');
  const uri = fields.get('uri');
  const response = fields.get('response');
  const cnonce = fields.get('cnonce');
  const nc = fields.get('nc');
  if (!username || !nonce || !uri || !response || !cnonce || !nc || fields.get('qop') !== 'auth' || !/^[0-9a-fA-F]{8}$/.test(nc)) {
    return { ok: false, reason: 'malformed' };
  }
  const algorithm = options.algorithm ?? 'MD5';
  if ((fields.get('algorithm') ?? 'MD5').toUpperCase() !== algorithm.toUpperCase()) return { ok: false, reason: 'wrong-algorithm' };
  if (fields.get('realm') !== digestRealm(options)) return { ok: false, reason: 'wrong-realm' };
  return andThen(checkNonceMaybe(options, nonce, now), (nonceState): MaybePromise<DigestOutcome> => {
    if (nonceState === 'forged') return { ok: false, reason: 'bad-nonce' };
    if (!requestTargets.includes(uri)) return { ok: false, reason: 'wrong-uri' };
    const expected = digestResponseMaybe({
      algorithm,
      username: options.username,
      realm: digestRealm(options),
      password: options.password,
      method,
      uri,
      nonce,
      nc,
      cnonce,
    });
    // Username and response both compared in constant time; neither result short-circuits the other.
    const checks = both(
      safeEqualSecretMaybe(username, options.username),
      andThen(expected, (value) => safeEqualSecretMaybe(response.toLowerCase(), value)),
    );
    return andThen(checks, ([userOk, responseOk]): DigestOutcome => {
      if (!userOk || !responseOk) return { ok: false, reason: 'wrong-credentials' };
      return nonceState === 'stale' ? { ok: false, reason: 'stale-nonce' } : { ok: true };
    });
  });
}

/**
 * HTTP Digest authentication (RFC 7616) as Twilio uses it on `https://user:pass@host/...` webhook
 * URLs. The nonce is stateless — a timestamp and an HMAC under a key derived from the
 * credentials — so any instance of a scaled-out function can check it without a shared store.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { firstHeader } from './headers.js';
import { safeEqual, safeEqualSecret } from './safe-equal.js';
import type { WebhookHeaders } from './types.js';

export type DigestAlgorithm = 'MD5' | 'MD5-sess' | 'SHA-256' | 'SHA-256-sess';

export interface DigestAuthOptions {
  readonly username: string;
  readonly password: string;
  readonly realm?: string;
  /** Default `MD5`, the one every HTTP client speaks; `SHA-256` where the client supports it. */
  readonly algorithm?: DigestAlgorithm;
  /** How long a nonce is accepted. Default 5 minutes. */
  readonly nonceTtlMs?: number;
  /** Key for nonce HMACs; default derived from the credentials, so every instance agrees. */
  readonly nonceSecret?: string;
}

export type DigestOutcome =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: 'missing' | 'malformed' | 'wrong-credentials' | 'stale-nonce' | 'bad-nonce' | 'wrong-uri' | 'wrong-realm' | 'wrong-algorithm' };

const DEFAULT_REALM = 'twilio-webhook';

export function digestRealm(options: DigestAuthOptions): string {
  return (options.realm ?? DEFAULT_REALM).replace(/["\\]/g, '');
}

function nonceKey(options: DigestAuthOptions): string {
  return options.nonceSecret ?? createHash('sha256').update(`twiml-guard digest nonce\0${options.username}\0${options.password}`).digest('hex');
}

function nonceMac(options: DigestAuthOptions, issuedAt: string): string {
  return createHmac('sha256', nonceKey(options)).update(`${issuedAt}:${digestRealm(options)}`).digest('base64url').slice(0, 22);
}

export function createNonce(options: DigestAuthOptions, now: number = Date.now()): string {
  const issuedAt = now.toString(36);
  return `${issuedAt}.${nonceMac(options, issuedAt)}`;
}

/** `valid`, `stale` (ours but expired: the client retries with the new nonce without asking the user) or `forged`. */
export function checkNonce(options: DigestAuthOptions, nonce: string, now: number = Date.now()): 'valid' | 'stale' | 'forged' {
  const dot = nonce.indexOf('.');
  if (dot <= 0) return 'forged';
  const issuedAt = nonce.slice(0, dot);
  if (!/^[0-9a-z]{1,12}$/.test(issuedAt) || !safeEqual(nonce.slice(dot + 1), nonceMac(options, issuedAt))) return 'forged';
  const age = now - parseInt(issuedAt, 36);
  if (age < -60_000) return 'forged';
  return age > (options.nonceTtlMs ?? 5 * 60_000) ? 'stale' : 'valid';
}

export function digestChallenge(options: DigestAuthOptions, stale = false, now: number = Date.now()): string {
  const fields = [
    `realm="${digestRealm(options)}"`,
    'qop="auth"',
    `algorithm=${options.algorithm ?? 'MD5'}`,
    `nonce="${createNonce(options, now)}"`,
    `opaque="${randomBytes(12).toString('base64url')}"`,
  ];
  if (stale) fields.push('stale=true');
  return `Digest ${fields.join(', ')}`;
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

function hashFor(algorithm: DigestAlgorithm): (text: string) => string {
  const name = algorithm.startsWith('SHA-256') ? 'sha256' : 'md5';
  return (text) => createHash(name).update(text, 'utf8').digest('hex');
}

/** The `response` value a client computes (RFC 7616 §3.4.1), qop=auth. */
export function digestResponse(input: {
  algorithm: DigestAlgorithm;
  username: string;
  realm: string;
  password: string;
  method: string;
  uri: string;
  nonce: string;
  nc: string;
  cnonce: string;
}): string {
  const hash = hashFor(input.algorithm);
  let ha1 = hash(`${input.username}:${input.realm}:${input.password}`);
  if (input.algorithm.endsWith('-sess')) ha1 = hash(`${ha1}:${input.nonce}:${input.cnonce}`);
  const ha2 = hash(`${input.method}:${input.uri}`);
  return hash(`${ha1}:${input.nonce}:${input.nc}:${input.cnonce}:auth:${ha2}`);
}

/**
 * Checks the request's Digest credentials. `requestTargets` are the forms the `uri` field may take
 * for this request (path + query as the client sent it, or the absolute public URL).
 */
export function checkDigestAuth(
  headers: WebhookHeaders,
  method: string,
  requestTargets: readonly string[],
  options: DigestAuthOptions,
  now: number = Date.now(),
): DigestOutcome {
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
  const nonceState = checkNonce(options, nonce, now);
  if (nonceState === 'forged') return { ok: false, reason: 'bad-nonce' };
  if (!requestTargets.includes(uri)) return { ok: false, reason: 'wrong-uri' };
  const expected = digestResponse({ algorithm, username: options.username, realm: digestRealm(options), password: options.password, method, uri, nonce, nc, cnonce });
  // Username and response both compared in constant time; neither result short-circuits the other.
  const userOk = safeEqualSecret(username, options.username);
  const responseOk = safeEqualSecret(response.toLowerCase(), expected);
  if (!userOk || !responseOk) return { ok: false, reason: 'wrong-credentials' };
  return nonceState === 'stale' ? { ok: false, reason: 'stale-nonce' } : { ok: true };
}

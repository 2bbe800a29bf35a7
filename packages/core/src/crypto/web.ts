/**
 * The crypto primitives on web-standard runtimes (Workers, Vercel Edge, Deno, Bun, browsers):
 * `crypto.subtle`, `TextEncoder`, `btoa`/`atob`, no Buffer and no Node compatibility layer. Same
 * names as `node.ts`; the web build swaps that module for this one.
 */
import type { MaybePromise } from './maybe-promise.js';
import { md5 } from './md5.js';

/** `'node'` (node:crypto, every export synchronous where it was) or `'web'` (WebCrypto: use the `…Async` exports). */
export const cryptoRuntime: 'node' | 'web' = 'web';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function utf8Bytes(text: string): Uint8Array {
  return encoder.encode(text);
}

export function utf8ByteLength(text: string): number {
  // UTF-16 → UTF-8 length without allocating: 1, 2 or 3 bytes per unit, 4 per surrogate pair (lone surrogates become U+FFFD: 3).
  let length = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) length += 1;
    else if (code < 0x800) length += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      length += 4;
      i++;
    } else length += 3;
  }
  return length;
}

/** Base64 to UTF-8 text; like Buffer, unpadded input is accepted and anything undecodable yields ''. */
export function base64ToUtf8(base64: string): string {
  const unpadded = base64.replace(/=+$/, '');
  try {
    const binary = atob(unpadded + '==='.slice(0, (4 - (unpadded.length % 4)) % 4));
    return decoder.decode(latin1Bytes(binary));
  } catch {
    return '';
  }
}

export function latin1Bytes(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i) & 0xff;
  return bytes;
}

/** Every byte compared, whatever the first difference: the time depends on the length only. */
export function timingSafeEqualBytes(left: Uint8Array, right: Uint8Array): boolean {
  if (left.length !== right.length) return false;
  let difference = 0;
  for (let i = 0; i < left.length; i++) difference |= (left[i] as number) ^ (right[i] as number);
  return difference === 0;
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i] as number);
  return btoa(binary);
}

function toBase64Url(bytes: Uint8Array): string {
  return toBase64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

const HEX_DIGITS = '0123456789abcdef';
function toHex(bytes: Uint8Array): string {
  let hex = '';
  for (let i = 0; i < bytes.length; i++) hex += HEX_DIGITS[(bytes[i] as number) >> 4]! + HEX_DIGITS[(bytes[i] as number) & 15]!;
  return hex;
}

export function randomBase64Url(byteCount: number): string {
  return toBase64Url(crypto.getRandomValues(new Uint8Array(byteCount)));
}

async function digestSha256(data: string | Uint8Array): Promise<Uint8Array> {
  const bytes = typeof data === 'string' ? utf8Bytes(data) : data;
  return new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
}

export function sha256(data: string | Uint8Array, encoding: 'hex' | 'base64url'): MaybePromise<string> {
  return digestSha256(data).then(encoding === 'hex' ? toHex : toBase64Url);
}

export function sha256Bytes(text: string): MaybePromise<Uint8Array> {
  return digestSha256(text);
}

export function md5Hex(text: string): string {
  return toHex(md5(utf8Bytes(text)));
}

/**
 * Imported HMAC keys, one per token (or nonce secret): a key import costs more than signing a webhook.
 * Tokens in play at once are few (current, pending, previous; a few sub-accounts).
 */
const MAX_CACHED_KEYS = 64;
const hmacKeys = new Map<string, Promise<CryptoKey>>();

function hmacKey(hash: 'SHA-1' | 'SHA-256', secret: string): Promise<CryptoKey> {
  const cacheKey = `${hash}\0${secret}`;
  let key = hmacKeys.get(cacheKey);
  if (!key) {
    if (hmacKeys.size >= MAX_CACHED_KEYS) hmacKeys.clear();
    // WebCrypto refuses an empty key; HMAC pads short keys with zeros, so one zero byte is the same key (RFC 2104).
    const raw = secret === '' ? new Uint8Array(1) : utf8Bytes(secret);
    key = crypto.subtle.importKey('raw', raw as Uint8Array<ArrayBuffer>, { name: 'HMAC', hash }, false, ['sign']);
    // A failed import is not cached: the next request tries again.
    key.catch(() => hmacKeys.delete(cacheKey));
    hmacKeys.set(cacheKey, key);
  }
  return key;
}

async function hmac(hash: 'SHA-1' | 'SHA-256', secret: string, text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.sign('HMAC', await hmacKey(hash, secret), utf8Bytes(text) as Uint8Array<ArrayBuffer>));
}

export function hmacSha1Base64(token: string, data: string): MaybePromise<string> {
  return hmac('SHA-1', token, data).then(toBase64);
}

/** Constant-time: is base64(HMAC-SHA1(token, data)) the 28 ASCII bytes `expected`? */
export function hmacSha1Matches(token: string, data: string, expected: Uint8Array): MaybePromise<boolean> {
  return hmac('SHA-1', token, data).then((digest) => timingSafeEqualBytes(latin1Bytes(toBase64(digest)), expected));
}

export function hmacSha256Base64Url(key: string, text: string): MaybePromise<string> {
  return hmac('SHA-256', key, text).then(toBase64Url);
}

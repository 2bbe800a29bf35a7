/**
 * The crypto primitives on Node: node:crypto, synchronous, the fast path. `web.ts` exports the same
 * names on WebCrypto; the web build swaps this module for that one (see `index.ts`).
 */
import { createHash, createHmac, hash as oneShotHashExport, randomBytes, timingSafeEqual } from 'node:crypto';
import type { MaybePromise } from './maybe-promise.js';

/** `'node'` (node:crypto, every export synchronous where it was) or `'web'` (WebCrypto: use the `…Async` exports). */
export const cryptoRuntime: 'node' | 'web' = 'node';

export function utf8Bytes(text: string): Uint8Array {
  // Buffer.from: several times faster than TextEncoder for short strings, same UTF-8 bytes.
  return Buffer.from(text, 'utf8');
}

export function utf8ByteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** Base64 (lenient, as Buffer reads it) to UTF-8 text. */
export function base64ToUtf8(base64: string): string {
  return Buffer.from(base64, 'base64').toString('utf8');
}

/** Latin-1 text (one byte per character) as bytes. */
export function latin1Bytes(text: string): Uint8Array {
  return Buffer.from(text, 'latin1');
}

export function timingSafeEqualBytes(left: Uint8Array, right: Uint8Array): boolean {
  return left.length === right.length && timingSafeEqual(left, right);
}

export function randomBase64Url(byteCount: number): string {
  return randomBytes(byteCount).toString('base64url');
}

export function sha256(data: string | Uint8Array, encoding: 'hex' | 'base64url'): MaybePromise<string> {
  return createHash('sha256').update(data).digest(encoding);
}

export function sha256Bytes(text: string): MaybePromise<Uint8Array> {
  return createHash('sha256').update(text, 'utf8').digest();
}

export function md5Hex(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex');
}

export function hmacSha256Base64Url(key: string, text: string): MaybePromise<string> {
  return createHmac('sha256', key).update(text).digest('base64url');
}

// ---------- HMAC-SHA1 ----------
//
// RFC 2104 from two one-shot SHA-1 calls: `crypto.hash` skips the Hmac object whose setup costs
// more than hashing a webhook. For an ASCII token of at most 64 bytes (every Twilio auth token), the
// padded inner key is itself ASCII, so inner key + message is one string hashed as UTF-8. Any other
// token, or a Node without `crypto.hash`, takes `createHmac`. The property tests hold this to
// twilio's createHmac-based signatures.

interface PaddedKey {
  /** The key's 64 bytes XOR 0x36, as ASCII characters. */
  readonly inner: string;
  /** The key's 64 bytes XOR 0x5c, followed by room for the 20-byte inner digest. */
  readonly outer: Buffer;
}

/**
 * `crypto.hash` exists from Node 20.12 (engines: >= 20.19); a runtime without it gets createHmac.
 * A named import, not `import * as`: the namespace costs a copy of every crypto export at load.
 */
const oneShotHash = typeof oneShotHashExport === 'function' ? oneShotHashExport : undefined;
const SHA1_BLOCK_BYTES = 64;
const ASCII_ONLY = /^[\x00-\x7f]*$/;
/** Tokens in play at once are few (current, pending, previous; a few sub-accounts): a small memo suffices. */
const MAX_MEMOISED_KEYS = 64;
const paddedKeys = new Map<string, PaddedKey | null>();
/** The expected signature's 28 base64 characters; filled and compared within one synchronous call. */
const digestScratch = Buffer.alloc(28);

function paddedKeyFor(token: string): PaddedKey | null {
  const known = paddedKeys.get(token);
  if (known !== undefined) return known;
  let key: PaddedKey | null = null;
  if (oneShotHash && token.length <= SHA1_BLOCK_BYTES && ASCII_ONLY.test(token)) {
    let inner = '';
    const outer = Buffer.alloc(SHA1_BLOCK_BYTES + 20);
    for (let i = 0; i < SHA1_BLOCK_BYTES; i++) {
      const byte = i < token.length ? token.charCodeAt(i) : 0;
      inner += String.fromCharCode(byte ^ 0x36);
      outer[i] = byte ^ 0x5c;
    }
    key = { inner, outer };
  }
  if (paddedKeys.size >= MAX_MEMOISED_KEYS) paddedKeys.clear();
  paddedKeys.set(token, key);
  return key;
}

/** HMAC-SHA1(token, UTF-8 data), base64. */
export function hmacSha1Base64(token: string, data: string): MaybePromise<string> {
  // Non-strings (a Buffer, as twilio also accepts through createHmac) are neither padded here nor memoised.
  const key = oneShotHash && typeof token === 'string' ? paddedKeyFor(token) : null;
  if (!key || !oneShotHash) return createHmac('sha1', token).update(data, 'utf8').digest('base64');
  // `binary` is Node's name for latin1: one character per byte, which `Buffer#write(…, 'latin1')` turns back into bytes.
  key.outer.write(oneShotHash('sha1', key.inner + data, 'binary'), SHA1_BLOCK_BYTES, 'latin1');
  return oneShotHash('sha1', key.outer, 'base64');
}

/** Constant-time: is base64(HMAC-SHA1(token, data)) the 28 ASCII bytes `expected`? */
export function hmacSha1Matches(token: string, data: string, expected: Uint8Array): MaybePromise<boolean> {
  digestScratch.write(hmacSha1Base64(token, data) as string, 0, 'latin1');
  return timingSafeEqual(digestScratch, expected);
}

/**
 * Drop-in replacements for twilio-node's webhook functions (twilio@6.2.0 semantics).
 * Change `from 'twilio'` to `from '@twiml-guard/core'` and nothing else.
 */
import { createHmac, hash as oneShotHashExport, timingSafeEqual } from 'node:crypto';
import { validateBody, type RawBody } from './body-hash.js';
import { findUrlCandidate } from './url-variants.js';

/** Values as twilio-node accepts them: strings, numbers, booleans, and arrays of them for repeated keys. */
export type TwilioParams = Record<string, unknown>;

/**
 * `key + value` for every key in code-unit order; array values are de-duplicated, sorted and each
 * prefixed with the key. Coercion is JavaScript's `+`, exactly as twilio-node does it.
 */
export function paramsToSignedString(params: TwilioParams): string {
  const keys = sortCodeUnits(Object.keys(params));
  let data = '';
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    const value = params[key];
    data += typeof value === 'string' ? key + value : paramToString(key, value);
  }
  return data;
}

/**
 * The order of `Array#sort()` on distinct strings (UTF-16 code units, which `<` compares too).
 * A webhook has a few dozen fields at most, and an insertion sort beats the generic sort there.
 */
function sortCodeUnits(keys: string[]): string[] {
  if (keys.length > 32) return keys.sort();
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i] as string;
    let j = i - 1;
    while (j >= 0 && (keys[j] as string) > key) {
      keys[j + 1] = keys[j] as string;
      j--;
    }
    keys[j + 1] = key;
  }
  return keys;
}

function paramToString(key: string, value: unknown): string {
  // `instanceof`, not Array.isArray: twilio's test, so even array-like oddities sign the same.
  if (value instanceof Array) {
    let joined = '';
    for (const item of Array.from(new Set(value)).sort()) joined += paramToString(key, item);
    return joined;
  }
  // eslint-disable-next-line @typescript-eslint/restrict-plus-operands -- twilio-node's coercion, on purpose
  return key + (value as string);
}

/** HMAC-SHA1 over the URL and the signed-params string, base64. */
export function signString(authToken: string, url: string, signedParams: string): string {
  return hmacSha1(authToken, url + signedParams, 'base64');
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

/** `binary` is Node's name for latin1: one character per byte, which `Buffer#write(…, 'latin1')` turns back into bytes. */
function hmacSha1(token: string, data: string, encoding: 'base64' | 'binary'): string {
  // Non-strings (a Buffer, as twilio also accepts through createHmac) are neither padded here nor memoised.
  const key = oneShotHash && typeof token === 'string' ? paddedKeyFor(token) : null;
  if (!key || !oneShotHash) return createHmac('sha1', token).update(data, 'utf8').digest(encoding);
  key.outer.write(oneShotHash('sha1', key.inner + data, 'binary'), SHA1_BLOCK_BYTES, 'latin1');
  return oneShotHash('sha1', key.outer, encoding);
}

/** Every HMAC-SHA1 signature is 20 bytes: 27 base64 characters and one `=`. */
const SIGNATURE_LENGTH = 28;
const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
/** ASCII code → base64 digit value, -1 for anything else. */
const BASE64_DIGITS = new Int8Array(128).fill(-1);
for (let i = 0; i < BASE64_ALPHABET.length; i++) BASE64_DIGITS[BASE64_ALPHABET.charCodeAt(i)] = i;

/**
 * Could a Twilio digest be written this way? 27 base64 characters and `=`, with the 27th
 * character's 2 padding bits zero, as Node's encoder always writes them. Anything else can never
 * equal an expected signature, so it is refused before any HMAC is computed.
 */
export function isSignatureShaped(signature: unknown): signature is string {
  if (typeof signature !== 'string' || signature.length !== SIGNATURE_LENGTH || signature.charCodeAt(27) !== 0x3d /* = */) return false;
  for (let i = 0; i < 27; i++) {
    const code = signature.charCodeAt(i);
    if (code > 0x7f || (BASE64_DIGITS[code] as number) < 0) return false;
  }
  return ((BASE64_DIGITS[signature.charCodeAt(26)] as number) & 3) === 0;
}

/**
 * The header's 28 ASCII characters as bytes, for `hmacMatches`, or `undefined` when it is not
 * signature-shaped. Comparing the base64 text (not the decoded bytes) is twilio's comparison exactly.
 */
export function signatureForComparison(signature: unknown): Buffer | undefined {
  return isSignatureShaped(signature) ? Buffer.from(signature, 'latin1') : undefined;
}

/** Constant-time (`timingSafeEqual`): is base64(HMAC-SHA1(token, data)) the header from `signatureForComparison`? */
export function hmacMatches(authToken: string, data: string, signature: Buffer): boolean {
  digestScratch.write(hmacSha1(authToken, data, 'base64'), 0, 'latin1');
  return timingSafeEqual(digestScratch, signature);
}

export function getExpectedTwilioSignature(authToken: string, url: string, params?: TwilioParams | null): string {
  return signString(authToken, url, paramsToSignedString(params ?? {}));
}

/**
 * Accepts exactly what twilio@6.2.0's `validateRequest` accepts (see `findUrlCandidate` for the order),
 * except that it never throws: a relative or malformed URL, a missing signature or an unusable
 * param value give `false`.
 */
export function validateRequest(authToken: string, signature: string, url: string, params?: TwilioParams | null): boolean {
  try {
    if (!authToken) return false;
    // A header no digest encodes to can never match: refuse it without computing anything.
    const expected = signatureForComparison(signature);
    if (!expected) return false;
    const signedParams = paramsToSignedString(params ?? {});
    return findUrlCandidate(url, (candidateUrl) => hmacMatches(authToken, candidateUrl + signedParams, expected)) !== undefined;
  } catch {
    return false;
  }
}

/**
 * twilio's `validateRequestWithBody`: the URL signed with no params, and the raw body hashing to
 * `bodySHA256`. Like twilio, the hash is read with the WHATWG parser, so a URL it cannot parse is
 * refused (twilio throws there) even when the raw string was signed.
 */
export function validateRequestWithBody(authToken: string, signature: string, url: string, body: RawBody): boolean {
  let bodySHA256: string;
  try {
    bodySHA256 = new URL(url).searchParams.get('bodySHA256') ?? '';
  } catch {
    return false;
  }
  return validateRequest(authToken, signature, url, {}) && validateBody(body, bodySHA256);
}

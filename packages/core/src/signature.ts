/**
 * Drop-in replacements for twilio-node's webhook functions (twilio@6.2.0 semantics).
 * Change `from 'twilio'` to `from '@twiml-guard/core'` and nothing else.
 */
import { hmacSha1Base64, hmacSha1Matches, latin1Bytes, cryptoRuntime } from './crypto/index.js';
import { andThen, syncResult, type MaybePromise } from './crypto/maybe.js';
import { validateBodyMaybe, type RawBody } from './body-hash.js';
import { findUrlCandidate, urlCandidates } from './url-variants.js';

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
  // biome-ignore lint/suspicious/useIsArray: twilio's own test, kept for identical signatures
  if (value instanceof Array) {
    let joined = '';
    for (const item of Array.from(new Set(value)).sort()) joined += paramToString(key, item);
    return joined;
  }
  // eslint-disable-next-line @typescript-eslint/restrict-plus-operands -- twilio-node's coercion, on purpose
  return key + (value as string);
}

/** HMAC-SHA1 over the URL and the signed-params string, base64 (a Promise on web-standard runtimes). */
export function signString(authToken: string, url: string, signedParams: string): MaybePromise<string> {
  return hmacSha1Base64(authToken, url + signedParams);
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
export function signatureForComparison(signature: unknown): Uint8Array | undefined {
  return isSignatureShaped(signature) ? latin1Bytes(signature) : undefined;
}

/** Constant-time: is base64(HMAC-SHA1(token, data)) the header from `signatureForComparison`? */
export function hmacMatches(authToken: string, data: string, signature: Uint8Array): MaybePromise<boolean> {
  return hmacSha1Matches(authToken, data, signature);
}

/**
 * The `X-Twilio-Signature` Twilio sends for a request: base64 HMAC-SHA1 of the URL and the sorted
 * parameters, as twilio-node computes it. Node only (synchronous); everywhere: `getExpectedTwilioSignatureAsync`.
 * @param authToken - the account's Auth Token
 * @param url - the full URL Twilio requests, exactly as configured
 * @param params - the POST parameters (none for GET and JSON webhooks)
 * @returns the expected header value
 * @example
 * ```ts
 * import { getExpectedTwilioSignature } from '@twiml-guard/core';
 *
 * const signature = getExpectedTwilioSignature(process.env.TWILIO_AUTH_TOKEN!, 'https://example.com/sms', { Body: 'hi' });
 * ```
 */
export function getExpectedTwilioSignature(authToken: string, url: string, params?: TwilioParams | null): string {
  return syncResult(
    signString(authToken, url, paramsToSignedString(params ?? {})),
    'getExpectedTwilioSignature',
    'getExpectedTwilioSignatureAsync',
  );
}

/**
 * `getExpectedTwilioSignature` on every runtime (WebCrypto where there is no `node:crypto`).
 * @param authToken - the account's Auth Token
 * @param url - the full URL Twilio requests, exactly as configured
 * @param params - the POST parameters (none for GET and JSON webhooks)
 * @returns the expected header value
 */
export async function getExpectedTwilioSignatureAsync(authToken: string, url: string, params?: TwilioParams | null): Promise<string> {
  return signString(authToken, url, paramsToSignedString(params ?? {}));
}

/**
 * Accepts exactly what twilio@6.2.0's `validateRequest` accepts (see `findUrlCandidate` for the order),
 * except that it never throws: a relative or malformed URL, a missing signature or an unusable
 * param value give `false`. Node only (synchronous); everywhere: `validateRequestAsync`.
 * @param authToken - the account's Auth Token
 * @param signature - the `X-Twilio-Signature` header
 * @param url - the full public URL Twilio requested
 * @param params - the POST parameters (none for GET)
 * @returns `true` when Twilio signed the request with this token
 */
export function validateRequest(authToken: string, signature: string, url: string, params?: TwilioParams | null): boolean {
  return syncResult(validateRequestMaybe(authToken, signature, url, params), 'validateRequest', 'validateRequestAsync');
}

/**
 * `validateRequest` on every runtime (WebCrypto where there is no `node:crypto`).
 * @param authToken - the account's Auth Token
 * @param signature - the `X-Twilio-Signature` header
 * @param url - the full public URL Twilio requested
 * @param params - the POST parameters (none for GET)
 * @returns `true` when Twilio signed the request with this token
 */
export async function validateRequestAsync(
  authToken: string,
  signature: string,
  url: string,
  params?: TwilioParams | null,
): Promise<boolean> {
  return validateRequestMaybe(authToken, signature, url, params);
}

function validateRequestMaybe(authToken: string, signature: string, url: string, params?: TwilioParams | null): MaybePromise<boolean> {
  try {
    if (!authToken) return false;
    // A header no digest encodes to can never match: refuse it without computing anything.
    const expected = signatureForComparison(signature);
    if (!expected) return false;
    const signedParams = paramsToSignedString(params ?? {});
    if (cryptoRuntime === 'web') return anySignedUrl(url, (candidateUrl) => hmacMatches(authToken, candidateUrl + signedParams, expected));
    return findUrlCandidate(url, (candidateUrl) => hmacMatches(authToken, candidateUrl + signedParams, expected) as boolean) !== undefined;
  } catch {
    return false;
  }
}

/** WebCrypto: `findUrlCandidate`'s candidates in its order, each HMAC awaited. */
async function anySignedUrl(url: string, matches: (candidateUrl: string) => MaybePromise<boolean>): Promise<boolean> {
  for (const candidate of urlCandidates(url)) {
    if (await matches(candidate.url)) return true;
  }
  return false;
}

/**
 * twilio's `validateRequestWithBody`: the URL signed with no params, and the raw body hashing to
 * `bodySHA256`. Like twilio, the hash is read with the WHATWG parser, so a URL it cannot parse is
 * refused (twilio throws there) even when the raw string was signed. Node only (synchronous);
 * everywhere: `validateRequestWithBodyAsync`.
 * @param authToken - the account's Auth Token
 * @param signature - the `X-Twilio-Signature` header
 * @param url - the full public URL, with its `bodySHA256` query parameter
 * @param body - the raw body, exactly as received
 * @returns `true` when the URL is signed and the body matches its hash
 */
export function validateRequestWithBody(authToken: string, signature: string, url: string, body: RawBody): boolean {
  return syncResult(
    validateRequestWithBodyMaybe(authToken, signature, url, body),
    'validateRequestWithBody',
    'validateRequestWithBodyAsync',
  );
}

/**
 * `validateRequestWithBody` on every runtime (WebCrypto where there is no `node:crypto`).
 * @param authToken - the account's Auth Token
 * @param signature - the `X-Twilio-Signature` header
 * @param url - the full public URL, with its `bodySHA256` query parameter
 * @param body - the raw body, exactly as received
 * @returns `true` when the URL is signed and the body matches its hash
 */
export async function validateRequestWithBodyAsync(authToken: string, signature: string, url: string, body: RawBody): Promise<boolean> {
  return validateRequestWithBodyMaybe(authToken, signature, url, body);
}

function validateRequestWithBodyMaybe(authToken: string, signature: string, url: string, body: RawBody): MaybePromise<boolean> {
  let bodySHA256: string;
  try {
    bodySHA256 = new URL(url).searchParams.get('bodySHA256') ?? '';
  } catch {
    return false;
  }
  return andThen(validateRequestMaybe(authToken, signature, url, {}), (signed) => signed && validateBodyMaybe(body, bodySHA256));
}

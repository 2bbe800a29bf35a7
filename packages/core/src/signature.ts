/**
 * Drop-in replacements for twilio-node's webhook functions (twilio@6.2.0 semantics).
 * Change `from 'twilio'` to `from '@twiml-guard/core'` and nothing else.
 */
import { createHmac } from 'node:crypto';
import { validateBody, type RawBody } from './body-hash.js';
import { safeEqual } from './safe-equal.js';
import { isAbsoluteUrl, urlCandidates } from './url-variants.js';

/** Values as twilio-node accepts them: strings, numbers, booleans, and arrays of them for repeated keys. */
export type TwilioParams = Record<string, unknown>;

/**
 * `key + value` for every key in code-unit order; array values are de-duplicated, sorted and each
 * prefixed with the key. Coercion is JavaScript's `+`, exactly as twilio-node does it.
 */
export function paramsToSignedString(params: TwilioParams): string {
  let data = '';
  for (const key of Object.keys(params).sort()) data += paramToString(key, params[key]);
  return data;
}

function paramToString(key: string, value: unknown): string {
  if (Array.isArray(value)) {
    let joined = '';
    for (const item of Array.from(new Set(value)).sort()) joined += paramToString(key, item);
    return joined;
  }
  // eslint-disable-next-line @typescript-eslint/restrict-plus-operands -- twilio-node's coercion, on purpose
  return key + (value as string);
}

/** HMAC-SHA1 over the URL and the signed-params string, base64. */
export function signString(authToken: string, url: string, signedParams: string): string {
  return createHmac('sha1', authToken).update(url + signedParams, 'utf8').digest('base64');
}

export function getExpectedTwilioSignature(authToken: string, url: string, params?: TwilioParams | null): string {
  return signString(authToken, url, paramsToSignedString(params ?? {}));
}

/**
 * Accepts exactly what twilio@6.2.0's `validateRequest` accepts (see `urlCandidates` for the order),
 * except that it never throws: a relative or malformed URL, a missing signature or an unusable
 * param value give `false`.
 */
export function validateRequest(authToken: string, signature: string, url: string, params?: TwilioParams | null): boolean {
  try {
    if (!authToken || typeof signature !== 'string' || signature.length === 0) return false;
    if (typeof url !== 'string' || !isAbsoluteUrl(url)) return false;
    const signedParams = paramsToSignedString(params ?? {});
    for (const candidate of urlCandidates(url)) {
      if (safeEqual(signature, signString(authToken, candidate.url, signedParams))) return true;
    }
    return false;
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

/** JSON webhooks: Twilio puts `bodySHA256=<hex sha256 of the raw body>` in the query and signs only the URL. */
import { sha256 } from './crypto/index.js';
import { andThen, syncResult, type MaybePromise } from './crypto/maybe.js';
import { safeEqual } from './safe-equal.js';

/** A request body as received: text, or bytes before any decoding. */
export type RawBody = string | Uint8Array;

/**
 * The lower-case hex SHA-256 of a raw body: the `bodySHA256` Twilio puts in a JSON webhook's URL.
 * Node only (synchronous); everywhere: `getExpectedBodyHashAsync`.
 * @param body - the raw body
 */
export function getExpectedBodyHash(body: RawBody): string {
  return syncResult(sha256(body, 'hex'), 'getExpectedBodyHash', 'getExpectedBodyHashAsync');
}

/**
 * `getExpectedBodyHash` on every runtime.
 * @param body - the raw body
 */
export async function getExpectedBodyHashAsync(body: RawBody): Promise<string> {
  return sha256(body, 'hex');
}

/**
 * Compatible with twilio's `validateBody`: constant-time compare of the lower-case hex digest. Node only; everywhere: `validateBodyAsync`.
 * @param body - the raw body
 * @param bodySHA256 - the hash from the URL's `bodySHA256` parameter
 */
export function validateBody(body: RawBody, bodySHA256: string): boolean {
  return syncResult(validateBodyMaybe(body, bodySHA256), 'validateBody', 'validateBodyAsync');
}

/**
 * `validateBody` on every runtime.
 * @param body - the raw body
 * @param bodySHA256 - the hash from the URL's `bodySHA256` parameter
 */
export async function validateBodyAsync(body: RawBody, bodySHA256: string): Promise<boolean> {
  return validateBodyMaybe(body, bodySHA256);
}

export function validateBodyMaybe(body: RawBody, bodySHA256: string): MaybePromise<boolean> {
  if (typeof bodySHA256 !== 'string' || (typeof body !== 'string' && !(body instanceof Uint8Array))) return false;
  return andThen(sha256(body, 'hex'), (expected) => safeEqual(bodySHA256, expected));
}

/**
 * The first `bodySHA256` query value, percent-decoded, as `new URL(url).searchParams.get()` gives it,
 * found by string search. `undefined` when the URL has none.
 */
export function bodyHashFromUrl(url: string): string | undefined {
  const queryStart = url.indexOf('?');
  if (queryStart === -1) return undefined;
  const hashStart = url.indexOf('#', queryStart);
  const query = url.slice(queryStart + 1, hashStart === -1 ? undefined : hashStart);
  for (const pair of query.split('&')) {
    const eq = pair.indexOf('=');
    const name = eq === -1 ? pair : pair.slice(0, eq);
    if (decodeQueryComponent(name) !== 'bodySHA256') continue;
    return eq === -1 ? '' : decodeQueryComponent(pair.slice(eq + 1));
  }
  return undefined;
}

export function hasBodyHashParam(url: string): boolean {
  return url.includes('bodySHA256');
}

function decodeQueryComponent(text: string): string {
  const spaced = text.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced;
  }
}

/** HTTP Basic auth as Twilio does it: first a request without credentials, then again after a 401 challenge. */
import { base64ToUtf8 } from './crypto/index.js';
import { andThen, both, syncResult, type MaybePromise } from './crypto/maybe.js';
import { safeEqualSecretMaybe } from './safe-equal.js';
import { firstHeader } from './headers.js';
import type { BasicAuthOptions } from './options.js';
import type { WebhookHeaders } from './types.js';

/** The result of a Basic check: `ok`, or why not (logged; the response is a bare 401). */
export type BasicAuthOutcome = 'ok' | 'missing' | 'malformed' | 'wrong-credentials';

/**
 * Checks the request's `Authorization: Basic` credentials in constant time.
 * Node only (synchronous); everywhere: `checkBasicAuthAsync`.
 * @param headers - the request headers
 * @param options - the `basicAuth` option
 */
export function checkBasicAuth(headers: WebhookHeaders, options: BasicAuthOptions): BasicAuthOutcome {
  return syncResult(checkBasicAuthMaybe(headers, options), 'checkBasicAuth', 'checkBasicAuthAsync');
}

/**
 * `checkBasicAuth` on every runtime.
 * @param headers - the request headers
 * @param options - the `basicAuth` option
 */
export async function checkBasicAuthAsync(headers: WebhookHeaders, options: BasicAuthOptions): Promise<BasicAuthOutcome> {
  return checkBasicAuthMaybe(headers, options);
}

/** The check, synchronous where the hash is (the pipeline's shared path). */
export function checkBasicAuthMaybe(headers: WebhookHeaders, options: BasicAuthOptions): MaybePromise<BasicAuthOutcome> {
  const header = firstHeader(headers, 'authorization');
  if (!header) return 'missing';
  const match = /^basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!match) return 'malformed';
  const decoded = base64ToUtf8(match[1] as string);
  const colon = decoded.indexOf(':');
  if (colon === -1) return 'malformed';
  // Both compared every time, in constant time, so timing says nothing about which one was wrong.
  const checks = both(
    safeEqualSecretMaybe(decoded.slice(0, colon), options.username),
    safeEqualSecretMaybe(decoded.slice(colon + 1), options.password),
  );
  return andThen(checks, ([userOk, passwordOk]) => (userOk && passwordOk ? 'ok' : 'wrong-credentials'));
}

/**
 * The `WWW-Authenticate` value of a Basic 401 challenge.
 * @param options - the `basicAuth` option (its realm is used)
 */
export function basicChallenge(options: BasicAuthOptions): string {
  return `Basic realm="${(options.realm ?? 'twilio-webhook').replace(/["\\]/g, '')}", charset="UTF-8"`;
}

/**
 * HTTP authentication on the webhook URL (`https://user:pass@host/...`), checked before the
 * signature. Twilio first calls without `Authorization` and retries after a 401 challenge; with
 * Digest configured the challenge is Digest (Basic, if also configured, is still accepted).
 */
import { basicChallenge, checkBasicAuthMaybe } from './basic-auth.js';
import { andThen, syncResult, type MaybePromise } from './crypto/maybe.js';
import { checkDigestAuthMaybe, digestChallengeMaybe, type DigestOutcome } from './digest-auth.js';
import { firstHeader } from './headers.js';
import { requestPath } from './public-url.js';
import { splitUrl } from './url-variants.js';
import type { WebhookOptions } from './options.js';
import type { WebhookRequest } from './types.js';

export interface AuthRefusal {
  readonly reason: string;
  readonly challenge: string;
  /** A first call without credentials is Twilio's normal dance, not an attack. */
  readonly level: 'info' | 'warn';
}

/** `undefined` when the request may go on to the signature check. Node only (synchronous); everywhere: `checkHttpAuthAsync`. */
export function checkHttpAuth(
  request: WebhookRequest,
  method: string,
  publicUrl: string,
  options: WebhookOptions,
): AuthRefusal | undefined {
  return syncResult(checkHttpAuthMaybe(request, method, publicUrl, options), 'checkHttpAuth', 'checkHttpAuthAsync');
}

/**
 * `checkHttpAuth` on every runtime: `undefined` when the request may go on to the signature check.
 * @param request - the translated request
 * @param method - the HTTP method
 * @param publicUrl - the public URL the request was made to
 * @param options - the webhook options (`basicAuth`, `digestAuth`)
 */
export async function checkHttpAuthAsync(
  request: WebhookRequest,
  method: string,
  publicUrl: string,
  options: WebhookOptions,
): Promise<AuthRefusal | undefined> {
  return checkHttpAuthMaybe(request, method, publicUrl, options);
}

export function checkHttpAuthMaybe(
  request: WebhookRequest,
  method: string,
  publicUrl: string,
  options: WebhookOptions,
): MaybePromise<AuthRefusal | undefined> {
  const { basicAuth, digestAuth } = options;
  if (!basicAuth && !digestAuth) return undefined;
  const scheme = /^\s*(\S+)/.exec(firstHeader(request.headers, 'authorization') ?? '')?.[1]?.toLowerCase();

  if (basicAuth && (scheme === 'basic' || !digestAuth)) {
    return andThen(checkBasicAuthMaybe(request.headers, basicAuth), (outcome): AuthRefusal | undefined => {
      if (outcome === 'ok') return undefined;
      return {
        reason:
          outcome === 'missing'
            ? 'no Authorization header: Basic challenge sent (Twilio retries with credentials)'
            : `Basic auth ${outcome}`,
        challenge: basicChallenge(basicAuth),
        level: outcome === 'missing' ? 'info' : 'warn',
      };
    });
  }
  if (!digestAuth) return undefined;

  const checked: MaybePromise<DigestOutcome> =
    scheme === 'digest' || scheme === undefined
      ? checkDigestAuthMaybe(request.headers, method, digestTargets(request, publicUrl), digestAuth)
      : { ok: false, reason: 'malformed' };
  return andThen(checked, (outcome): MaybePromise<AuthRefusal | undefined> => {
    if (outcome.ok) return undefined;
    // A stale nonce with the right password: the client retries with the fresh nonce without asking the user.
    return andThen(digestChallengeMaybe(digestAuth, outcome.reason === 'stale-nonce'), (challenge) => ({
      reason:
        outcome.reason === 'missing'
          ? 'no Authorization header: Digest challenge sent (Twilio retries with credentials)'
          : `Digest auth ${outcome.reason}`,
      challenge,
      level: outcome.reason === 'missing' || outcome.reason === 'stale-nonce' ? 'info' : 'warn',
    }));
  });
}

/** The `uri` a client may have put in its Digest header: the request target as sent, or the absolute URL. */
function digestTargets(request: WebhookRequest, publicUrl: string): string[] {
  const targets = new Set<string>([requestPath(request), publicUrl]);
  for (const url of [publicUrl, request.url]) {
    const rest = splitUrl(url)?.rest;
    if (rest !== undefined) targets.add(rest === '' ? '/' : rest);
  }
  return [...targets];
}

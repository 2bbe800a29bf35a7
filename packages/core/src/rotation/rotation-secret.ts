/**
 * The secret payload a rotation reads and writes: the JSON (docs/rotation.md, "The secret") that every
 * token source already parses (`parseSecretPayload`), with the bookkeeping a resumable rotation needs.
 * Fields it does not know (e.g. AWS's `validationUrl`) are carried over untouched.
 */
import { TokenNotConfiguredError } from '../tokens/token-source.js';

/**
 * The secret a rotation reads and writes: the JSON every token source reads (docs/rotation.md,
 * "The secret"), with the fields of a rotation in progress or just finished.
 */
export interface TwilioTokenSecret {
  /** The account the tokens belong to (`AC` + 32 hex characters): rotation calls Twilio as this account. */
  readonly accountSid: string;
  /** The primary: the token Twilio signs with (until a promotion). */
  readonly authToken: string;
  /** The secondary created for the next promotion; validators accept it too. */
  readonly pendingAuthToken?: string;
  /** ISO time the pending token was stored: a resumed rotation waits out the caches from then. */
  readonly pendingAuthTokenStoredAt?: string;
  /** The primary before the last promotion, accepted until `previousAuthTokenExpiresAt` (in-flight requests). */
  readonly previousAuthToken?: string;
  /** ISO time after which `previousAuthToken` is no longer accepted. */
  readonly previousAuthTokenExpiresAt?: string;
  /** The event that started the rotation (idempotency across redeliveries). */
  readonly rotationId?: string;
  /** Fields the rotation does not know (e.g. AWS's `validationUrl`), carried over as they are. */
  readonly [extra: string]: unknown;
}

const ACCOUNT_SID = /^AC[0-9a-fA-F]{32}$/;

/**
 * Reads a stored secret for rotation. A bare token needs `accountSid` from configuration; JSON must
 * hold `authToken`. Empty optional token fields are dropped; unknown fields are kept.
 * @param text - the stored value: the secret's JSON, or a bare auth token
 * @param accountSid - the account from configuration: required for a bare token, and must match the JSON's when both are given
 * @returns the parsed secret
 * @throws `TokenNotConfiguredError` when the value is empty, not JSON, lacks `authToken` or a valid
 *   `accountSid`, or names another account. Messages never contain the payload.
 * @example
 * ```ts
 * import { parseRotationSecret } from '@twiml-guard/core/rotation';
 *
 * const secret = parseRotationSecret('{"accountSid":"AC…","authToken":"…"}');
 * ```
 */
export function parseRotationSecret(text: string, accountSid?: string): TwilioTokenSecret {
  const trimmed = text.trim();
  if (trimmed === '') throw new TokenNotConfiguredError('the secret is empty');
  let json: Record<string, unknown>;
  if (trimmed.startsWith('{')) {
    try {
      json = JSON.parse(trimmed) as Record<string, unknown>;
    } catch {
      throw new TokenNotConfiguredError('the secret looks like JSON but does not parse');
    }
  } else {
    json = { authToken: trimmed };
  }
  const sid = typeof json.accountSid === 'string' && json.accountSid !== '' ? json.accountSid : accountSid;
  if (sid === undefined || !ACCOUNT_SID.test(sid)) {
    throw new TokenNotConfiguredError('the secret has no valid "accountSid" (AC + 32 hex characters); rotation needs it to call Twilio');
  }
  if (accountSid !== undefined && sid !== accountSid) throw new TokenNotConfiguredError(`the secret belongs to ${sid}, not ${accountSid}`);
  if (typeof json.authToken !== 'string' || json.authToken === '')
    throw new TokenNotConfiguredError('the secret has no "authToken" string');
  const secret: Record<string, unknown> = { ...json, accountSid: sid };
  for (const key of ['pendingAuthToken', 'previousAuthToken'] as const) {
    if (typeof secret[key] !== 'string' || secret[key] === '') delete secret[key];
  }
  return secret as TwilioTokenSecret;
}

/**
 * The text a store writes for a secret (JSON), read back by `parseRotationSecret` and by every token source.
 * @param secret - the secret to store
 * @returns its JSON
 */
export function serializeRotationSecret(secret: TwilioTokenSecret): string {
  return JSON.stringify(secret);
}

/**
 * The secret with a pending token recorded: `pendingAuthToken`, the time it was stored (a resumed
 * rotation waits out the caches from then) and the rotation's id; a previous token past its expiry is dropped.
 * @param secret - the secret as stored now
 * @param pendingAuthToken - Twilio's new secondary token
 * @param now - the time the pending token is stored, epoch ms
 * @param rotationId - the triggering event's id (redeliveries of a finished rotation do nothing); an older id is dropped
 * @returns the secret to write
 */
export function withPendingToken(secret: TwilioTokenSecret, pendingAuthToken: string, now: number, rotationId?: string): TwilioTokenSecret {
  const { rotationId: _oldId, ...rest } = dropExpiredPrevious(secret, now);
  return {
    ...rest,
    pendingAuthToken,
    pendingAuthTokenStoredAt: new Date(now).toISOString(),
    ...(rotationId !== undefined ? { rotationId } : {}),
  };
}

/**
 * The secret after a promotion: the pending token is the primary, the old primary is previous for `graceMs`.
 * @param secret - the secret as stored before the promotion
 * @param newAuthToken - the token Twilio now signs with
 * @param now - the time of the commit, epoch ms
 * @param graceMs - how long the old primary stays accepted; 0 drops it at once (after a leak)
 * @returns the secret to write
 */
export function promotedSecret(secret: TwilioTokenSecret, newAuthToken: string, now: number, graceMs: number): TwilioTokenSecret {
  const {
    pendingAuthToken: _pending,
    pendingAuthTokenStoredAt: _storedAt,
    previousAuthToken: _previous,
    previousAuthTokenExpiresAt: _expires,
    ...rest
  } = secret;
  const keepPrevious = graceMs > 0 && secret.authToken !== newAuthToken;
  return {
    ...rest,
    authToken: newAuthToken,
    ...(keepPrevious ? { previousAuthToken: secret.authToken, previousAuthTokenExpiresAt: new Date(now + graceMs).toISOString() } : {}),
  };
}

function dropExpiredPrevious(secret: TwilioTokenSecret, now: number): TwilioTokenSecret {
  const expiresAt = secret.previousAuthTokenExpiresAt ? Date.parse(secret.previousAuthTokenExpiresAt) : Number.NaN;
  if (secret.previousAuthToken === undefined || expiresAt > now) return secret;
  const { previousAuthToken: _previous, previousAuthTokenExpiresAt: _expires, ...rest } = secret;
  return rest as TwilioTokenSecret;
}

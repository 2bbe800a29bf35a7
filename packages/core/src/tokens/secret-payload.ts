/**
 * The one secret payload every store holds: a bare token string, or JSON
 * `{accountSid, authToken, pendingAuthToken?, previousAuthToken?, previousAuthTokenExpiresAt?}`
 * (the field names of AWS's managed `TwilioAuthToken` secret type, plus the rotation fields).
 */
import { TokenNotConfiguredError, type AuthTokenEntry } from './token-source.js';

interface SecretJson {
  readonly accountSid?: unknown;
  readonly authToken?: unknown;
  readonly pendingAuthToken?: unknown;
  readonly previousAuthToken?: unknown;
  readonly previousAuthTokenExpiresAt?: unknown;
}

/**
 * Tokens in the payload, current first. A JSON payload for another account yields none (that account
 * signs with its own token). Malformed payloads throw `TokenNotConfiguredError`; the message never
 * contains the payload.
 */
export function parseSecretPayload(text: string, expectedAccountSid?: string): AuthTokenEntry[] {
  const trimmed = text.trim();
  if (trimmed === '') throw new TokenNotConfiguredError('the secret is empty');
  if (!trimmed.startsWith('{')) {
    if (/\s/.test(trimmed)) throw new TokenNotConfiguredError('the secret is neither a token nor JSON');
    return [{ value: trimmed, role: 'current' }];
  }

  let json: SecretJson;
  try {
    json = JSON.parse(trimmed) as SecretJson;
  } catch {
    throw new TokenNotConfiguredError('the secret looks like JSON but does not parse');
  }
  if (typeof json.authToken !== 'string' || json.authToken === '') {
    throw new TokenNotConfiguredError('the secret JSON has no "authToken" string');
  }
  if (expectedAccountSid !== undefined && typeof json.accountSid === 'string' && json.accountSid !== expectedAccountSid) {
    return [];
  }

  // Tagged with the secret's account, so a cache shared by every AccountSid still filters per request.
  const account = typeof json.accountSid === 'string' && json.accountSid !== '' ? { accountSid: json.accountSid } : {};
  const entries: AuthTokenEntry[] = [{ value: json.authToken, role: 'current', ...account }];
  if (typeof json.pendingAuthToken === 'string' && json.pendingAuthToken !== '') {
    entries.push({ value: json.pendingAuthToken, role: 'pending', ...account });
  }
  // A previous token without an expiry is ignored: accepting it forever would undo the rotation.
  const expiresAt = expiryOf(json.previousAuthTokenExpiresAt);
  if (typeof json.previousAuthToken === 'string' && json.previousAuthToken !== '' && expiresAt !== undefined) {
    entries.push({ value: json.previousAuthToken, role: 'previous', expiresAt, ...account });
  }
  return entries;
}

/** ISO 8601 text or epoch milliseconds. */
function expiryOf(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value !== '') {
    const parsed = Date.parse(value);
    return Number.isNaN(parsed) ? undefined : parsed;
  }
  return undefined;
}

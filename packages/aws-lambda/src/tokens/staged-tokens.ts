/** Tokens from the `AWSCURRENT` and `AWSPENDING` versions of one secret, as one list. */
import { parseSecretPayload, type AuthTokenEntry } from '@twiml-guard/core';

export function stagedTokens(current: string, pending: string | undefined, accountSid: string | undefined): AuthTokenEntry[] {
  const entries = parseSecretPayload(current, accountSid);
  if (pending === undefined) return entries;
  let pendingEntries: AuthTokenEntry[];
  try {
    pendingEntries = parseSecretPayload(pending, accountSid);
  } catch {
    // A half-written pending version must not take the current token down with it.
    return entries;
  }
  // Twilio signs with the pending version's token from promotion until the rotation finishes.
  return [...entries, ...pendingEntries.map((entry) => (entry.role === 'current' ? { ...entry, role: 'pending' as const } : entry))];
}

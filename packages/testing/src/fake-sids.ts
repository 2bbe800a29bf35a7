/** SIDs shaped like Twilio's (two-letter prefix + 32 lower-case hex), clearly not real. */
import { randomBytes } from 'node:crypto';

/** The AccountSid presets use unless overridden: fixed, so a test can look its token up. */
export const DEFAULT_ACCOUNT_SID = `AC${'deadbeef'.repeat(4)}`;

/** A fresh random SID, e.g. `fakeSid('SM')`; real webhooks never repeat a MessageSid or CallSid. */
export function fakeSid(prefix: string): string {
  if (!/^[A-Z]{2}$/.test(prefix)) throw new TypeError('A SID prefix is two capital letters, e.g. SM, MM, CA, AC.');
  return prefix + randomBytes(16).toString('hex');
}

/**
 * Whether a string is shaped like a Twilio SID: two capital letters and 32 lower-case hex digits.
 * @param value - the string to check
 * @param prefix - the SID type expected, e.g. `AC`
 */
export function isSid(value: string, prefix?: string): boolean {
  return /^[A-Z]{2}[0-9a-f]{32}$/.test(value) && (prefix === undefined || value.startsWith(prefix));
}

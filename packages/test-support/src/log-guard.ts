/**
 * A log scan over the whole test run: every twiml-guard log line (the default stderr logger, and
 * every entry a capturing logger records) is checked for what an auth token or a signature looks
 * like. Each test file fails in afterAll if one was logged. Scenario tests with known secrets
 * (test/hardening/log-scan.test.ts) check exact values; this catches the paths nobody listed.
 */

/** A bare 32-hex auth token (an AccountSid's hex, after `AC`, is not bare). */
const TOKEN_LIKE = /(?<![A-Za-z0-9])[0-9a-fA-F]{32}(?![A-Za-z0-9])/;
/** A base64 HMAC-SHA1: 27 characters and one `=`. */
const SIGNATURE_LIKE = /(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{27}=(?![A-Za-z0-9+/=])/;

const offending: string[] = [];

export function scanLogLine(line: string): void {
  if (TOKEN_LIKE.test(line) || SIGNATURE_LIKE.test(line)) offending.push(line.length > 400 ? `${line.slice(0, 400)}…` : line);
}

/** What was found since the last call, then forgotten. */
export function takeOffendingLogLines(): string[] {
  return offending.splice(0, offending.length);
}

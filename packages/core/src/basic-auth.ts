/** HTTP Basic auth as Twilio does it: first a request without credentials, then again after a 401 challenge. */
import { safeEqualSecret } from './safe-equal.js';
import { firstHeader } from './headers.js';
import type { BasicAuthOptions, WebhookHeaders } from './types.js';

export type BasicAuthOutcome = 'ok' | 'missing' | 'malformed' | 'wrong-credentials';

export function checkBasicAuth(headers: WebhookHeaders, options: BasicAuthOptions): BasicAuthOutcome {
  const header = firstHeader(headers, 'authorization');
  if (!header) return 'missing';
  const match = /^basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!match) return 'malformed';
  const decoded = Buffer.from(match[1] as string, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon === -1) return 'malformed';
  // Both compared every time, in constant time, so timing says nothing about which one was wrong.
  const userOk = safeEqualSecret(decoded.slice(0, colon), options.username);
  const passwordOk = safeEqualSecret(decoded.slice(colon + 1), options.password);
  return userOk && passwordOk ? 'ok' : 'wrong-credentials';
}

export function basicChallenge(options: BasicAuthOptions): string {
  return `Basic realm="${(options.realm ?? 'twilio-webhook').replace(/["\\]/g, '')}", charset="UTF-8"`;
}

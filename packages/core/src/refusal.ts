/** A leaf (no TwiML builder behind it): the adapter subpath bundles it without a copy of respond.ts. */
import type { WebhookResponse } from './types.js';

/**
 * A refusal: a short plain-text phrase; the log line says why.
 * @param status - the HTTP status, e.g. 403
 * @param phrase - the body, e.g. `Forbidden`
 * @param headers - extra headers, e.g. a `WWW-Authenticate` challenge
 * @returns the response to send
 */
export function refusal(status: number, phrase: string, headers: Record<string, string> = {}): WebhookResponse {
  return { status, headers: { 'content-type': 'text/plain; charset=utf-8', ...headers }, body: phrase };
}

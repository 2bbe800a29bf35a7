/** A leaf (no TwiML builder behind it): the adapter subpath bundles it without a copy of respond.ts. */
import type { WebhookResponse } from './types.js';

/** Refusals say only a short phrase; the log line says why. */
export function refusal(status: number, phrase: string, headers: Record<string, string> = {}): WebhookResponse {
  return { status, headers: { 'content-type': 'text/plain; charset=utf-8', ...headers }, body: phrase };
}

/** `WebhookResponse` → `Response`. */
import type { WebhookResponse } from '@twiml-guard/core';

/** Statuses whose `Response` must not have a body (the constructor throws otherwise). */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

/**
 * A `WebhookResponse` → a web-standard `Response` (no body for the statuses that cannot carry one).
 * @param response - the response to send
 * @returns the `Response`
 */
export function toResponse(response: WebhookResponse): Response {
  return new Response(NULL_BODY_STATUSES.has(response.status) ? null : response.body, {
    status: response.status,
    headers: response.headers,
  });
}

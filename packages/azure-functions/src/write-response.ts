/** Core `WebhookResponse` → the `HttpResponseInit` an Azure Functions v4 handler returns. */
import type { HttpResponseInit } from '@azure/functions';
import type { WebhookResponse } from '@twiml-guard/core';

export function toHttpResponseInit(response: WebhookResponse): HttpResponseInit {
  return { status: response.status, headers: response.headers, body: response.body };
}

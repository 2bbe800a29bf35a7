/** Core `WebhookResponse` → the Express / node `res`. `end()` rather than Express `send()`: nothing rewrites the body or headers. */
import type { WebhookResponse } from '@twiml-guard/core';
import type { GcpHttpResponse } from './types.js';

export function sendResponse(res: GcpHttpResponse, response: WebhookResponse): void {
  res.statusCode = response.status;
  for (const [name, value] of Object.entries(response.headers)) res.setHeader(name, value);
  res.end(response.body);
}

/** A handler that answered through `res` itself has already been heard: nothing more is written. */
export function writeResponse(res: GcpHttpResponse, response: WebhookResponse): void {
  if (!res.headersSent) sendResponse(res, response);
}

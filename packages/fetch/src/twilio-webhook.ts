/** `twilioWebhook(handler, options)` → `(request: Request) => Promise<Response>`, answering only requests Twilio signed. */
import { createWebhookHandler } from '@twiml-guard/core';
import { ADAPTER, readRequest } from './read-request.js';
import { toResponse } from './to-response.js';
import type { FetchOptions, FetchWebhookHandler } from './types.js';

export function twilioWebhook(handler: FetchWebhookHandler, options: FetchOptions = {}): (request: Request) => Promise<Response> {
  const run = createWebhookHandler(handler, options, { name: ADAPTER });
  return async (request) => {
    // The handler gets the bytes in event.body, so the original body is read directly, not teed.
    const read = await readRequest(request, () => request, options);
    if (!read.ok) return toResponse(read.response);
    return toResponse(await run(read.request, request));
  };
}

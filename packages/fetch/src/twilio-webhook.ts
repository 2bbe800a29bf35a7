import { fetchAdapter } from './platform-adapter.js';
import type { FetchOptions, FetchWebhookHandler } from './types.js';

/**
 * A web-standard handler (`(request: Request) => Promise<Response>`) that runs `handler` only for
 * requests Twilio signed: Cloudflare Workers, Deno, Bun, Vercel and Next.js route handlers, Hono.
 * Everything else gets a short refusal and a log line saying why.
 *
 * @param handler - Gets the verified event and the original `Request` (its body already read: use
 *   `event.body` / `event.params`); returns TwiML, a TwiML builder, `{ status, headers, body }` or nothing.
 * @param options - `authToken`, `url` / `baseUrl`, `trustProxy`, `basicAuth`, `dedupe`, `logger`...
 *   (the same on every adapter). Default token: `TWILIO_AUTH_TOKEN`.
 * @returns The handler to serve, which never throws: refusals and handler errors are responses.
 * @example
 * ```ts
 * import { twilioWebhook, MessagingResponse } from '@twiml-guard/fetch';
 * export const POST = twilioWebhook((event) => {
 *   const reply = new MessagingResponse();
 *   reply.message(`You said: ${event.params.Body}`);
 *   return reply;
 * });
 * ```
 */
export function twilioWebhook(handler: FetchWebhookHandler, options: FetchOptions = {}): (request: Request) => Promise<Response> {
  const webhook = fetchAdapter.webhook(handler, options);
  return (request) => webhook([request]);
}

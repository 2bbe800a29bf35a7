import type { WebhookHandler } from '@twiml-guard/core';
import { gcpAdapter } from './platform-adapter.js';
import type { GcpFunctionsOptions, GcpHttpRequest, GcpHttpResponse, GcpPlatformContext } from './types.js';

/**
 * A Google Cloud Functions HTTP function (gen1 and gen2, through the Functions Framework) that runs
 * `handler` only for requests Twilio signed, verified over `req.rawBody`; everything else gets a
 * short refusal and a log line saying why. The public URL is rebuilt from the Host header and
 * `req.originalUrl` (gen1's function name put back).
 *
 * @param handler - Gets the verified event and `{ req, res }`; returns TwiML, a TwiML builder,
 *   `{ status, headers, body }` or nothing. If it answers through `res` itself, nothing more is written.
 * @param options - `authToken`, `url` / `baseUrl`, `trustProxy`, `basicAuth`, `dedupe`, `logger`...
 *   Default token: the Secret Manager secret named by `TWILIO_AUTH_TOKEN_SECRET`, else `TWILIO_AUTH_TOKEN`.
 * @returns The function to register, `(req, res) => Promise<void>`; it never throws.
 * @example
 * ```ts
 * import * as functions from '@google-cloud/functions-framework';
 * import { twilioWebhook, MessagingResponse } from '@twiml-guard/gcp-functions';
 * functions.http('sms', twilioWebhook((event) => {
 *   const reply = new MessagingResponse();
 *   reply.message(`You said: ${event.params.Body}`);
 *   return reply;
 * }));
 * ```
 */
export function twilioWebhook<Req extends GcpHttpRequest = GcpHttpRequest, Res extends GcpHttpResponse = GcpHttpResponse>(
  handler: WebhookHandler<GcpPlatformContext<Req, Res>>,
  options: GcpFunctionsOptions = {},
): (req: Req, res: Res) => Promise<void> {
  // The context is built from the call's own req and res, so it has the caller's Req and Res types.
  const webhook = gcpAdapter.webhook(handler as WebhookHandler<GcpPlatformContext>, options);
  return (req, res) => webhook([req, res]);
}

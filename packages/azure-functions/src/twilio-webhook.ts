import type { WebhookHandler } from '@twiml-guard/core';
import { azureAdapter } from './platform-adapter.js';
import type { AzureFunctionsOptions, AzureHttpHandler, AzurePlatformContext } from './types.js';

/**
 * An Azure Functions (v4 programming model) HTTP handler that runs `handler` only for requests
 * Twilio signed, verified over the raw body bytes; everything else gets a short refusal and a log
 * line saying why. The public URL is `request.url` with what `@azure/functions` normalised put back.
 *
 * @param handler - Gets the verified event and `{ request, context }` (the body already read: use
 *   `event.body` / `event.params`); returns TwiML, a TwiML builder, `{ status, headers, body }` or nothing.
 * @param options - `authToken`, `url` / `baseUrl`, `trustProxy`, `basicAuth`, `dedupe`, `logger`...
 *   Default token: the Key Vault secret named by the app settings `TWILIO_AUTH_TOKEN_KEY_VAULT_URL` and
 *   `TWILIO_AUTH_TOKEN_SECRET_NAME`, else `TWILIO_AUTH_TOKEN`.
 * @returns The handler to register with `app.http`; it never throws.
 * @example
 * ```ts
 * import { app } from '@azure/functions';
 * import { twilioWebhook, MessagingResponse } from '@twiml-guard/azure-functions';
 * app.http('sms', {
 *   methods: ['POST'],
 *   authLevel: 'anonymous',
 *   handler: twilioWebhook((event) => new MessagingResponse().message(`You said: ${event.params.Body}`)),
 * });
 * ```
 */
export function twilioWebhook(handler: WebhookHandler<AzurePlatformContext>, options: AzureFunctionsOptions = {}): AzureHttpHandler {
  const webhook = azureAdapter.webhook(handler, options);
  return (request, context) => webhook([request, context]);
}

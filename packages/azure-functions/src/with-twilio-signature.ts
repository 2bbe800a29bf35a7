import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { azureAdapter } from './platform-adapter.js';
import type { AzureFunctionsOptions, AzureHttpHandler } from './types.js';

/**
 * Guards an Azure Functions HTTP handler you already have: it runs, with the original `HttpRequest`
 * (body unread: the guard reads a clone) and invocation context, only for requests Twilio signed.
 * Others get a short refusal and a log line saying why.
 *
 * @param azureHandler - Your handler, `(request, context) => HttpResponseInit | Promise<HttpResponseInit>`.
 * @param options - The same options as `twilioWebhook` (`authToken`, `url` / `baseUrl`, `logger`...).
 * @returns The handler to register with `app.http`.
 * @example
 * ```ts
 * import { app } from '@azure/functions';
 * import { withTwilioSignature } from '@twiml-guard/azure-functions';
 * app.http('sms', {
 *   authLevel: 'anonymous',
 *   handler: withTwilioSignature(async (request) => ({ headers: { 'content-type': 'text/xml' }, body: '<Response/>' })),
 * });
 * ```
 */
export function withTwilioSignature(
  azureHandler: (request: HttpRequest, context: InvocationContext) => HttpResponseInit | Promise<HttpResponseInit>,
  options: AzureFunctionsOptions = {},
): AzureHttpHandler {
  const guard = azureAdapter.guard(options);
  return async (request, context) => {
    const guarded = await guard([request, context]);
    return guarded.ok ? azureHandler(request, context) : guarded.result;
  };
}

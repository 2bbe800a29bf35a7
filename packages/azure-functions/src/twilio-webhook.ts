/**
 * `twilioWebhook(handler, options)` for the Azure Functions v4 programming model:
 * `app.http('sms', { methods: ['POST'], authLevel: 'anonymous', handler: twilioWebhook(...) })`.
 */
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { createWebhookHandler, DEFAULT_MAX_BODY_BYTES, rejectUntranslatable, stderrJsonLogger, type WebhookHandler, type WebhookOptions } from '@twiml-guard/core';
import { azurePlatformDefaults } from './platform-defaults.js';
import { toWebhookRequest } from './to-webhook-request.js';

export type AzureFunctionsOptions = WebhookOptions;

/** What the handler gets besides the verified event: the original request (body already read) and the invocation context. */
export interface AzurePlatformContext {
  readonly request: HttpRequest;
  readonly context: InvocationContext;
}

export type AzureHttpHandler = (request: HttpRequest, context: InvocationContext) => Promise<HttpResponseInit>;

export function twilioWebhook(handler: WebhookHandler<AzurePlatformContext>, options: AzureFunctionsOptions = {}): AzureHttpHandler {
  const handle = createWebhookHandler(handler, options, azurePlatformDefaults);
  const logger = options.logger ?? stderrJsonLogger;
  return async (request, context) => {
    const translated = await toWebhookRequest(request, options.trustProxy === true, options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES);
    if (!translated.ok) {
      const response = rejectUntranslatable(logger, azurePlatformDefaults.name, translated.reason, { method: request.method, ...translated.details });
      return { status: response.status, headers: response.headers, body: response.body };
    }
    const response = await handle(translated.request, { request, context });
    return { status: response.status, headers: response.headers, body: response.body };
  };
}

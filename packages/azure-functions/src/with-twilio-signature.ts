/**
 * Guards an Azure HTTP handler the user already has. The guard reads a clone, so the wrapped
 * handler receives the original `HttpRequest` with its body unread.
 */
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { createWebhookGuard, DEFAULT_MAX_BODY_BYTES, rejectUntranslatable, stderrJsonLogger } from '@twiml-guard/core';
import { azurePlatformDefaults } from './platform-defaults.js';
import { toWebhookRequest } from './to-webhook-request.js';
import type { AzureFunctionsOptions, AzureHttpHandler } from './twilio-webhook.js';

export function withTwilioSignature(
  azureHandler: (request: HttpRequest, context: InvocationContext) => HttpResponseInit | Promise<HttpResponseInit>,
  options: AzureFunctionsOptions = {},
): AzureHttpHandler {
  const guard = createWebhookGuard(options, azurePlatformDefaults);
  const logger = options.logger ?? stderrJsonLogger;
  return async (request, context) => {
    const translated = await toWebhookRequest(request.bodyUsed ? request : request.clone(), options.trustProxy === true, options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES);
    if (!translated.ok) {
      return rejectUntranslatable(logger, azurePlatformDefaults.name, translated.reason, { method: request.method, ...translated.details });
    }
    const guarded = await guard(translated.request);
    if (!guarded.ok) return guarded.response;
    return azureHandler(request, context);
  };
}

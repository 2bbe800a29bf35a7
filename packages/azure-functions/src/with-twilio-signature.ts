/**
 * Guards an Azure HTTP handler the user already has. The guard reads a clone, so the wrapped
 * handler receives the original `HttpRequest` with its body unread.
 */
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { createWebhookGuard, refusal, stderrJsonLogger } from '@twiml-guard/core';
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
    const translated = await toWebhookRequest(request.bodyUsed ? request : request.clone(), options.trustProxy === true);
    if (!translated.ok) {
      logger.warn({ msg: `rejected webhook: ${translated.reason}`, adapter: azurePlatformDefaults.name, status: 400, method: request.method, ...translated.details });
      return refusal(400, 'Bad Request');
    }
    const guarded = await guard(translated.request);
    if (!guarded.ok) return guarded.response;
    return azureHandler(request, context);
  };
}

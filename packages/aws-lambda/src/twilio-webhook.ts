/** `twilioWebhook(handler, options)`: a Lambda handler for API Gateway (REST, HTTP API), Function URLs and ALB. */
import { createWebhookHandler, rejectUntranslatable, stderrJsonLogger, type WebhookHandler } from '@twiml-guard/core';
import type { LambdaContext, LambdaHttpEvent, LambdaWebhookResult } from './events.js';
import { toLambdaResult } from './lambda-result.js';
import type { AwsLambdaOptions, LambdaPlatformContext } from './options.js';
import { translateEvent } from './sources/translate-event.js';
import { AWS_LAMBDA_PLATFORM } from './tokens/default-token-source.js';

/** Assignable to `APIGatewayProxyHandler`, `APIGatewayProxyHandlerV2` and `ALBHandler` (`@types/aws-lambda`). */
export type LambdaWebhookHandler = (event: unknown, context?: LambdaContext) => Promise<LambdaWebhookResult>;

export function twilioWebhook(handler: WebhookHandler<LambdaPlatformContext>, options: AwsLambdaOptions = {}): LambdaWebhookHandler {
  const handle = createWebhookHandler(handler, options, AWS_LAMBDA_PLATFORM);
  const logger = options.logger ?? stderrJsonLogger;
  return async (event, context) => {
    const translated = translateEvent(event);
    if ('problem' in translated) {
      const refused = rejectUntranslatable(logger, AWS_LAMBDA_PLATFORM.name, translated.problem, { eventSource: translated.source ?? 'unknown' });
      return toLambdaResult(translated.source, refused, event);
    }
    const source = translated.source ?? 'rest-v1';
    const response = await handle(translated.request, { event: event as LambdaHttpEvent, context, source });
    return toLambdaResult(source, response, event);
  };
}

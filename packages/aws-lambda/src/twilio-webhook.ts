import type { WebhookHandler } from '@twiml-guard/core';
import type { LambdaContext, LambdaWebhookResult } from './events.js';
import type { AwsLambdaOptions, LambdaPlatformContext } from './types.js';
import { lambdaAdapter } from './platform-adapter.js';

/** Assignable to `APIGatewayProxyHandler`, `APIGatewayProxyHandlerV2` and `ALBHandler` (`@types/aws-lambda`). */
export type LambdaWebhookHandler = (event: unknown, context?: LambdaContext) => Promise<LambdaWebhookResult>;

/**
 * A Lambda handler for API Gateway (REST, HTTP API payload 1.0 and 2.0), Function URLs and ALB that
 * runs `handler` only for requests Twilio signed; everything else gets a short refusal in the
 * event source's result shape and a log line saying why. The event source is detected per event.
 *
 * @param handler - Gets the verified event and `{ event, context, source }`; returns TwiML, a TwiML
 *   builder, `{ status, headers, body }` or nothing.
 * @param options - `authToken`, `url` / `baseUrl`, `trustProxy`, `basicAuth`, `dedupe`, `logger`...
 *   Default token: the Secrets Manager secret named by `TWILIO_AUTH_TOKEN_SECRET_ID`, else `TWILIO_AUTH_TOKEN`.
 * @returns The Lambda handler to export; it never throws.
 * @example
 * ```ts
 * import { twilioWebhook, MessagingResponse } from '@twiml-guard/aws-lambda';
 * export const handler = twilioWebhook((event) => {
 *   const reply = new MessagingResponse();
 *   reply.message(`You said: ${event.params.Body}`);
 *   return reply;
 * });
 * ```
 */
export function twilioWebhook(handler: WebhookHandler<LambdaPlatformContext>, options: AwsLambdaOptions = {}): LambdaWebhookHandler {
  const webhook = lambdaAdapter.webhook(handler, options);
  return (event, context) => webhook([event, context]);
}

/**
 * `withTwilioSignature(handler, options)`: guards a Lambda HTTP handler you already have. Signed requests
 * reach it with the original event and context and its result is returned as is; others never reach it.
 */
import { createWebhookGuard, rejectUntranslatable, stderrJsonLogger } from '@twiml-guard/core';
import type { LambdaHttpResult } from './events.js';
import { toLambdaResult } from './lambda-result.js';
import type { AwsLambdaOptions } from './options.js';
import { translateEvent } from './sources/translate-event.js';
import { AWS_LAMBDA_PLATFORM } from './tokens/default-token-source.js';

/** Any Lambda handler: `APIGatewayProxyHandler`, `APIGatewayProxyHandlerV2`, `ALBHandler` or your own. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ExistingLambdaHandler = (event: any, context: any, ...rest: never[]) => unknown;

export function withTwilioSignature<H extends ExistingLambdaHandler>(
  existingHandler: H,
  options: AwsLambdaOptions = {},
): (event: Parameters<H>[0], context: Parameters<H>[1]) => Promise<Awaited<ReturnType<H>> | LambdaHttpResult> {
  const guard = createWebhookGuard(options, AWS_LAMBDA_PLATFORM);
  const logger = options.logger ?? stderrJsonLogger;
  return async (event, context): Promise<Awaited<ReturnType<H>> | LambdaHttpResult> => {
    const translated = translateEvent(event);
    if ('problem' in translated) {
      const refused = rejectUntranslatable(logger, AWS_LAMBDA_PLATFORM.name, translated.problem, { eventSource: translated.source ?? 'unknown' });
      return toLambdaResult(translated.source, refused, event);
    }
    const guarded = await guard(translated.request);
    if (!guarded.ok) return toLambdaResult(translated.source, guarded.response, event);
    return (await existingHandler(event, context)) as Awaited<ReturnType<H>>;
  };
}

/** The Lambda adapter on the core's contract: the Lambda handler's `(event, context)`, and the Middy middleware's event. */
import { defineAdapter } from '@twiml-guard/core/adapter';
import type { LambdaContext, LambdaHttpEvent, LambdaWebhookResult } from './events.js';
import type { AwsLambdaOptions, LambdaPlatformContext } from './types.js';
import { AWS_LAMBDA_PLATFORM } from './platform-defaults.js';
import { translate, translateForMiddleware } from './translate.js';
import { writeResponse } from './write-response.js';

export const lambdaAdapter = defineAdapter<
  readonly [unknown, LambdaContext | undefined],
  LambdaWebhookResult,
  LambdaPlatformContext,
  AwsLambdaOptions,
  { readonly source?: LambdaPlatformContext['source'] }
>({
  platform: AWS_LAMBDA_PLATFORM,
  translate,
  write: writeResponse,
  platformContext: ([event, context], translation) => ({
    event: event as LambdaHttpEvent,
    context,
    source: translation.source ?? 'rest-v1',
  }),
});

export const middyAdapter = defineAdapter<
  readonly [unknown],
  LambdaWebhookResult,
  undefined,
  AwsLambdaOptions,
  { readonly source?: LambdaPlatformContext['source'] }
>({
  platform: AWS_LAMBDA_PLATFORM,
  translate: translateForMiddleware,
  write: writeResponse,
});

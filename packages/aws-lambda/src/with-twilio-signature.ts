/**
 * `withTwilioSignature(handler, options)`: guards a Lambda HTTP handler you already have. Signed requests
 * reach it with the original event and context and its result is returned as is; others never reach it.
 */
import { createWebhookGuard, rejectUntranslatable, stderrJsonLogger } from '@twiml-guard/core';
import type { LambdaWebhookResult } from './events.js';
import { toLambdaResult } from './lambda-result.js';
import type { AwsLambdaOptions } from './options.js';
import { translateEvent } from './sources/translate-event.js';
import { AWS_LAMBDA_PLATFORM } from './tokens/default-token-source.js';

/** Any Lambda handler: `APIGatewayProxyHandler`, `APIGatewayProxyHandlerV2`, `ALBHandler` or your own, async or with a callback. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ExistingLambdaHandler = (event: any, context: any, ...rest: never[]) => unknown;

/** The result the existing handler resolves with (through its promise or its callback), without the `void` of callback handlers. */
export type ExistingHandlerResult<H extends ExistingLambdaHandler> = Exclude<Awaited<ReturnType<H>>, void | undefined> | CallbackResult<H>;
type CallbackResult<H extends ExistingLambdaHandler> =
  Parameters<H> extends [unknown, unknown, infer Callback, ...unknown[]] ? (Callback extends (error: never, result?: infer Result) => unknown ? Exclude<Result, undefined> : never) : never;

/**
 * The guarded handler has the existing one's parameters, so it is assignable back to the existing
 * handler's type (`const guarded: APIGatewayProxyHandler = withTwilioSignature(handler)`); refusals
 * are `LambdaWebhookResult`s, which every `@types/aws-lambda` HTTP result type accepts.
 */
export type GuardedLambdaHandler<H extends ExistingLambdaHandler> = (
  event: Parameters<H>[0],
  context: Parameters<H>[1],
  callback?: Parameters<H> extends [unknown, unknown, infer Callback, ...unknown[]] ? Callback : unknown,
) => Promise<ExistingHandlerResult<H> | LambdaWebhookResult>;

export function withTwilioSignature<H extends ExistingLambdaHandler>(existingHandler: H, options: AwsLambdaOptions = {}): GuardedLambdaHandler<H> {
  const guard = createWebhookGuard(options, AWS_LAMBDA_PLATFORM);
  const logger = options.logger ?? stderrJsonLogger;
  return async (event, context) => {
    const translated = translateEvent(event);
    if ('problem' in translated) {
      const refused = rejectUntranslatable(logger, AWS_LAMBDA_PLATFORM.name, translated.problem, { eventSource: translated.source ?? 'unknown' });
      return toLambdaResult(translated.source, refused, event);
    }
    const guarded = await guard(translated.request);
    if (!guarded.ok) return toLambdaResult(translated.source, guarded.response, event);
    return (await invoke(existingHandler, event, context)) as ExistingHandlerResult<H>;
  };
}

/**
 * Runs the existing handler and settles with its result, whether it returns a promise (async
 * handlers) or answers through the callback Lambda passes as the third argument (callback handlers).
 */
function invoke(handler: ExistingLambdaHandler, event: unknown, context: unknown): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const callback = (error?: unknown, result?: unknown): void => (error === undefined || error === null ? resolve(result) : reject(error));
    const returned = (handler as (event: unknown, context: unknown, callback: (error?: unknown, result?: unknown) => void) => unknown)(event, context, callback);
    if (isThenable(returned)) returned.then(resolve, reject);
    // A synchronous handler that takes no callback answers with what it returned.
    else if (handler.length < 3) resolve(returned);
  });
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

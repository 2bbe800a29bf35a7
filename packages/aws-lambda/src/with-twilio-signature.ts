import type { LambdaWebhookResult } from './events.js';
import type { AwsLambdaOptions } from './types.js';
import { lambdaAdapter } from './platform-adapter.js';

/** Any Lambda handler: `APIGatewayProxyHandler`, `APIGatewayProxyHandlerV2`, `ALBHandler` or your own, async or with a callback. */
// biome-ignore lint/suspicious/noExplicitAny: `any` parameters make every typed Lambda handler assignable here
export type ExistingLambdaHandler = (event: any, context: any, ...rest: never[]) => unknown;

/** The result the existing handler resolves with (through its promise or its callback), without the `void` of callback handlers. */
// biome-ignore lint/suspicious/noConfusingVoidType: callback-style handlers return void; their result comes through the callback
export type ExistingHandlerResult<H extends ExistingLambdaHandler> = Exclude<Awaited<ReturnType<H>>, void | undefined> | CallbackResult<H>;
type CallbackResult<H extends ExistingLambdaHandler> =
  Parameters<H> extends [unknown, unknown, infer Callback, ...unknown[]]
    ? Callback extends (error: never, result?: infer Result) => unknown
      ? Exclude<Result, undefined>
      : never
    : never;

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

/**
 * Guards a Lambda HTTP handler you already have (async or with a callback): signed requests reach it
 * with the original event and context and its result is returned as is; others never reach it and
 * get a short refusal in the event source's result shape, with a log line saying why.
 *
 * @param existingHandler - Your handler: `APIGatewayProxyHandler`, `APIGatewayProxyHandlerV2`, `ALBHandler` or your own.
 * @param options - The same options as `twilioWebhook` (`authToken`, `url` / `baseUrl`, `logger`...).
 * @returns A handler with the existing one's parameters, assignable back to its type.
 * @example
 * ```ts
 * import type { APIGatewayProxyHandler } from 'aws-lambda';
 * import { withTwilioSignature } from '@twiml-guard/aws-lambda';
 * const existing: APIGatewayProxyHandler = async () => ({ statusCode: 200, headers: { 'content-type': 'text/xml' }, body: '<Response/>' });
 * export const handler: APIGatewayProxyHandler = withTwilioSignature(existing);
 * ```
 */
export function withTwilioSignature<H extends ExistingLambdaHandler>(
  existingHandler: H,
  options: AwsLambdaOptions = {},
): GuardedLambdaHandler<H> {
  const guard = lambdaAdapter.guard(options);
  return async (event, context) => {
    const guarded = await guard([event, context]);
    if (!guarded.ok) return guarded.result;
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
    const returned = (handler as (event: unknown, context: unknown, callback: (error?: unknown, result?: unknown) => void) => unknown)(
      event,
      context,
      callback,
    );
    if (isThenable(returned)) returned.then(resolve, reject);
    // A synchronous handler that takes no callback answers with what it returned.
    else if (handler.length < 3) resolve(returned);
  });
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

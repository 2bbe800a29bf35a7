/**
 * Guards a Runtime function the user already has: `exports.handler = withTwilioSignature(handler)`.
 * The original `(context, event, callback)` runs unchanged, and only for signed requests.
 */
import { createWebhookGuard, describeError, refusal, stderrJsonLogger } from '@twiml-guard/core';
import { withInvocationContext } from './context-token-source.js';
import { coreOptions, invocationPreparer, PLATFORM } from './prepare-invocation.js';
import { toRuntimeResponse } from './runtime-response.js';
import type { TwilioFunctionCallback, TwilioFunctionContext, TwilioFunctionEvent, TwilioFunctionsOptions } from './types.js';

export type RuntimeFunction = (context: TwilioFunctionContext, event: TwilioFunctionEvent, callback: TwilioFunctionCallback) => unknown;

export function withTwilioSignature(fn: RuntimeFunction, options: TwilioFunctionsOptions = {}): (context: TwilioFunctionContext, event: TwilioFunctionEvent, callback: TwilioFunctionCallback) => Promise<void> {
  const logger = options.logger ?? stderrJsonLogger;
  const prepare = invocationPreparer(options);
  const guard = createWebhookGuard(coreOptions(options), PLATFORM);

  return async (context, event, callback) => {
    try {
      const invocation = prepare(context, event);
      if (invocation.kind === 'refused') return callback(null, toRuntimeResponse(invocation.response));
      if (invocation.kind === 'verify') {
        const guarded = await withInvocationContext(context, () => guard(invocation.request));
        if (!guarded.ok) return callback(null, toRuntimeResponse(guarded.response));
      }
    } catch (error) {
      logger.error({ msg: 'webhook guard failed', adapter: PLATFORM.name, error: describeError(error) });
      return callback(null, toRuntimeResponse(refusal(500, 'Internal Server Error')));
    }
    try {
      await fn(context, event, callback);
    } catch (error) {
      // As the Runtime does for a function that throws: its error response.
      callback(error);
    }
  };
}

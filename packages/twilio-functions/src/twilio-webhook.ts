/** `exports.handler = twilioWebhook(handler, options)`: a Twilio Runtime function that answers only signed requests. */
import { createWebhookHandler, describeError, refusal, stderrJsonLogger, toWebhookResponse, type WebhookResponse } from '@twiml-guard/core';
import { withInvocationContext } from './context-token-source.js';
import { coreOptions, invocationPreparer, PLATFORM } from './prepare-invocation.js';
import { toRuntimeResponse } from './runtime-response.js';
import type { TwilioFunctionHandler, TwilioFunctionsHandler, TwilioFunctionsOptions } from './types.js';

export function twilioWebhook(handler: TwilioFunctionsHandler, options: TwilioFunctionsOptions = {}): TwilioFunctionHandler {
  const logger = options.logger ?? stderrJsonLogger;
  const prepare = invocationPreparer(options);
  const run = createWebhookHandler(handler, coreOptions(options), PLATFORM);

  return async (context, event, callback) => {
    let response: WebhookResponse;
    try {
      const invocation = prepare(context, event);
      if (invocation.kind === 'refused') response = invocation.response;
      else if (invocation.kind === 'verify') response = await withInvocationContext(context, () => run(invocation.request, { context, event }));
      else response = toWebhookResponse(await handler(invocation.event, { context, event }));
    } catch (error) {
      // The core catches handler errors itself; this is the gateway-checked path, or a broken invocation.
      logger.error({ msg: 'webhook handler threw', adapter: PLATFORM.name, error: describeError(error) });
      response = refusal(500, 'Internal Server Error');
    }
    callback(null, toRuntimeResponse(response));
  };
}

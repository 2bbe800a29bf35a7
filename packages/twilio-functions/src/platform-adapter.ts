/**
 * The Twilio Functions adapter on the core's contract: the Runtime's `(context, event, callback)` in,
 * the answer through `callback`. The token comes from the invocation's context unless configured,
 * so each core call runs inside that invocation's context.
 */
import { defineAdapter } from '@twiml-guard/core/adapter';
import { TWILIO_FUNCTIONS_PLATFORM } from './platform-defaults.js';
import { contextTokenSource, withInvocationContext } from './token-source.js';
import { translate } from './translate.js';
import type {
  TwilioFunctionCallback,
  TwilioFunctionContext,
  TwilioFunctionEvent,
  TwilioFunctionsOptions,
  TwilioFunctionsPlatform,
} from './types.js';
import { writeResponse } from './write-response.js';

export const twilioFunctionsAdapter = defineAdapter<
  readonly [TwilioFunctionContext, TwilioFunctionEvent, TwilioFunctionCallback],
  void,
  TwilioFunctionsPlatform,
  TwilioFunctionsOptions
>({
  platform: TWILIO_FUNCTIONS_PLATFORM,
  translate,
  write: (response, [, , callback]) => writeResponse(response, callback),
  platformContext: ([context, event]) => ({ context, event }),
  coreOptions: (options) => ({ ...options, authToken: options.authToken ?? contextTokenSource(options.authTokenEnv) }),
  around: ([context], run) => withInvocationContext(context, run),
});

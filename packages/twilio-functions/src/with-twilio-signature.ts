import { twilioFunctionsAdapter } from './platform-adapter.js';
import type { TwilioFunctionCallback, TwilioFunctionContext, TwilioFunctionEvent, TwilioFunctionsOptions } from './types.js';

/** A Twilio Runtime function, `exports.handler = (context, event, callback) => { … }`. */
export type RuntimeFunction = (context: TwilioFunctionContext, event: TwilioFunctionEvent, callback: TwilioFunctionCallback) => unknown;

/**
 * Guards a Runtime function you already have: the original `(context, event, callback)` runs
 * unchanged, and only for requests Twilio signed. Others get a short refusal through the callback
 * and a log line saying why.
 *
 * @param fn - Your function, `(context, event, callback) => unknown`.
 * @param options - The same options as `twilioWebhook` (`authTokenEnv`, `skipValidationWhenProtected`, `url`, `logger`...).
 * @returns The function to export as `handler`.
 * @example
 * ```ts
 * import twilio from 'twilio';
 * import { withTwilioSignature } from '@twiml-guard/twilio-functions';
 * export const handler = withTwilioSignature((context, event, callback) => {
 *   const twiml = new twilio.twiml.MessagingResponse();
 *   twiml.message('Hi');
 *   callback(null, twiml);
 * });
 * ```
 */
export function withTwilioSignature(
  fn: RuntimeFunction,
  options: TwilioFunctionsOptions = {},
): (context: TwilioFunctionContext, event: TwilioFunctionEvent, callback: TwilioFunctionCallback) => Promise<void> {
  const guard = twilioFunctionsAdapter.guard(options);
  return async (context, event, callback) => {
    // A refusal has gone out through the callback already.
    if (!(await guard([context, event, callback])).ok) return;
    try {
      await fn(context, event, callback);
    } catch (error) {
      // As the Runtime does for a function that throws: its error response.
      callback(error);
    }
  };
}

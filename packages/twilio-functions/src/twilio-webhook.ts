import { twilioFunctionsAdapter } from './platform-adapter.js';
import type { TwilioFunctionHandler, TwilioFunctionsHandler, TwilioFunctionsOptions } from './types.js';

/**
 * A Twilio Functions (Runtime) function that runs `handler` only for requests Twilio signed;
 * everything else gets a short refusal (through the Runtime's callback) and a log line saying why.
 * The Runtime passes no raw body, so the signed form is rebuilt from `event`; the public URL is
 * `DOMAIN_NAME + PATH` unless `url` or `TWILIO_WEBHOOK_URL` says otherwise.
 *
 * @param handler - Gets the verified event and `{ context, event }` (the Runtime's own); returns
 *   TwiML, a TwiML builder, `{ status, headers, body }` or nothing.
 * @param options - The core's options plus `authTokenEnv` (the variable holding the token) and
 *   `skipValidationWhenProtected`. Default token: `context.AUTH_TOKEN`, then `TWILIO_AUTH_TOKEN`.
 * @returns The function to export as `handler`; it always answers through the callback.
 * @example
 * ```ts
 * import { twilioWebhook, MessagingResponse } from '@twiml-guard/twilio-functions';
 * export const handler = twilioWebhook((event) => {
 *   const reply = new MessagingResponse();
 *   reply.message(`You said: ${event.params.Body}`);
 *   return reply;
 * });
 * ```
 */
export function twilioWebhook(handler: TwilioFunctionsHandler, options: TwilioFunctionsOptions = {}): TwilioFunctionHandler {
  const webhook = twilioFunctionsAdapter.webhook(handler, options);
  return (context, event, callback) => webhook([context, event, callback]);
}

/**
 * `@twiml-guard/twilio-functions/rotation`: rotating the Twilio auth token (a Functions environment's variables as the store).
 * A separate entry point: it loads the `twilio` package, which a webhook bundle must never pull in.
 */
export {
  rotateTwilioFunctionsToken,
  finishGrace,
  variablesToSecret,
  CURRENT_VARIABLE,
  PENDING_VARIABLE,
  ROTATION_STATE_VARIABLE,
} from './rotation/twilio-functions-rotation.js';
export type { TwilioFunctionsRotationOptions } from './rotation/twilio-functions-rotation.js';
export { officialServerlessVariables } from './rotation/serverless-variables.js';
export type { ServerlessVariablesApi, ServerlessVariablesOptions } from './rotation/serverless-variables.js';
export { officialTwilioAuthTokens } from '@twiml-guard/core/rotation';
export type { TwilioClientOptions } from '@twiml-guard/core/rotation';

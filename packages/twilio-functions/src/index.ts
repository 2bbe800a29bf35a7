export { twilioWebhook } from './twilio-webhook.js';
export { withTwilioSignature } from './with-twilio-signature.js';
export type { RuntimeFunction } from './with-twilio-signature.js';
export { toWebhookRequest, isLocalDomain } from './to-webhook-request.js';
export type { Translation, TranslationOptions, Untranslatable } from './to-webhook-request.js';
export { contextTokenSource, withInvocationContext } from './context-token-source.js';
export { toRuntimeResponse, PlainRuntimeResponse } from './runtime-response.js';
export { encodeFormBody, encodeFormComponent } from './form-encoding.js';
export type {
  TwilioFunctionContext,
  TwilioFunctionEvent,
  TwilioFunctionRequest,
  TwilioFunctionCallback,
  TwilioFunctionHandler,
  TwilioFunctionsPlatform,
  TwilioFunctionsHandler,
  TwilioFunctionsOptions,
  RuntimeResponse,
} from './types.js';

// The core's TwiML builder and types, re-exported so one import is enough.
export { MessagingResponse, VoiceResponse, EMPTY_TWIML, TWIML_CONTENT_TYPE } from '@twiml-guard/core';
export type { WebhookOptions, WebhookHandler, TwilioWebhookEvent, HandlerResult, TokenSource } from '@twiml-guard/core';

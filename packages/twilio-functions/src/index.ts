export { twilioWebhook } from './twilio-webhook.js';
export { withTwilioSignature } from './with-twilio-signature.js';
export type { RuntimeFunction } from './with-twilio-signature.js';
export { toWebhookRequest, isLocalDomain } from './translate.js';
export type { Translation, TranslationOptions, Untranslatable } from './translate.js';
export { contextTokenSource, withInvocationContext } from './token-source.js';
export { toRuntimeResponse, PlainRuntimeResponse } from './write-response.js';
// The form encoding the Runtime's parameters are re-encoded with (the core's, as Twilio writes it).
export { encodeFormBody, encodeFormComponent } from '@twiml-guard/core';
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

export { twilioWebhook } from './twilio-webhook.js';
export { withTwilioSignature } from './with-twilio-signature.js';
export { twilioWorker } from './twilio-worker.js';
export type { TwilioWorker, TwilioWorkerEnv, WorkerWebhookHandler } from './twilio-worker.js';
export { toWebhookRequest, readBodyBytes } from './translate.js';
export { toResponse } from './write-response.js';
export type { FetchOptions, FetchWebhookHandler, FetchHandler } from './types.js';

// The core's TwiML builder and types, re-exported so one import is enough.
export { MessagingResponse, VoiceResponse, EMPTY_TWIML, TWIML_CONTENT_TYPE } from '@twiml-guard/core';
export type { WebhookOptions, WebhookHandler, TwilioWebhookEvent, HandlerResult, TokenSource } from '@twiml-guard/core';

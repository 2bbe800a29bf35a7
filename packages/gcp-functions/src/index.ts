export { twilioWebhook } from './twilio-webhook.js';
export type { GcpFunctionsOptions, GcpPlatformContext, GcpHttpResponse, GcpHttpRequest } from './types.js';
export { toWebhookRequest } from './translate.js';
export type { GcpTranslation } from './translate.js';
export { inferGcpPublicUrl } from './public-url.js';
export type { GcpUrlInference, GcpFunctionEnv } from './public-url.js';
export { secretManagerTokens } from './token-source.js';
export type { SecretManagerTokensOptions, SecretVersionReader } from './token-source.js';
export { gcpPlatformDefaults, defaultSecretManagerSource, SECRET_RESOURCE_VARIABLE } from './platform-defaults.js';
export type { WebhookOptions, WebhookHandler, TwilioWebhookEvent, TokenCacheOptions } from '@twiml-guard/core';
export { withTwilioSignature } from './with-twilio-signature.js';

// The core's TwiML builder and types, re-exported so one import is enough.
export { MessagingResponse, VoiceResponse, EMPTY_TWIML, TWIML_CONTENT_TYPE } from '@twiml-guard/core';
export type { HandlerResult, TokenSource } from '@twiml-guard/core';

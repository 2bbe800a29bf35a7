// Entry points: a whole webhook, a guard around an existing handler, a Middy middleware.
export { twilioWebhook } from './twilio-webhook.js';
export type { LambdaWebhookHandler } from './twilio-webhook.js';
export { withTwilioSignature } from './with-twilio-signature.js';
export type { ExistingLambdaHandler, ExistingHandlerResult, GuardedLambdaHandler } from './with-twilio-signature.js';
export { twilioSignature } from './middy.js';
export type { TwilioSignatureMiddleware, TwilioSignatureContext, MiddyRequestLike } from './middy.js';
export type { AwsLambdaOptions, LambdaPlatformContext } from './types.js';

// Event translation, for users composing their own handlers.
export { detectSource } from './sources/detect-source.js';
export type { EventSource } from './sources/detect-source.js';
export { translateEvent } from './sources/translate-event.js';
export { toLambdaResult } from './write-response.js';
export type * from './events.js';

// Token sources.
export { secretsManagerTokens } from './tokens/secrets-manager.js';
export type { SecretsManagerTokensOptions } from './tokens/secrets-manager.js';
export { ssmParameterTokens } from './tokens/ssm-parameter.js';
export type { SsmParameterTokensOptions } from './tokens/ssm-parameter.js';
export { lambdaExtensionTokens } from './tokens/lambda-extension.js';
export type { LambdaExtensionTokensOptions } from './tokens/lambda-extension.js';
export type { AwsSdkClientLike } from './tokens/sdk-client.js';

// The core's TwiML helpers and types, re-exported so one import is enough.
export { MessagingResponse, VoiceResponse, EMPTY_TWIML, TWIML_CONTENT_TYPE } from '@twiml-guard/core';
export type { TwilioWebhookEvent, WebhookHandler, HandlerResult, TokenSource, TokenCacheOptions } from '@twiml-guard/core';

export { twilioWebhook } from './twilio-webhook.js';
export type { AzureFunctionsOptions, AzurePlatformContext, AzureHttpHandler } from './types.js';
export { toWebhookRequest } from './translate.js';
export type { AzureTranslation } from './translate.js';
export { inferAzurePublicUrl } from './public-url.js';
export type { AzureUrlInference } from './public-url.js';
export { keyVaultTokens } from './token-source.js';
export type { KeyVaultTokensOptions, KeyVaultSecretReader, KeyVaultCredential, KeyVaultVersionProperties } from './token-source.js';
export { azurePlatformDefaults, defaultKeyVaultSource, KEY_VAULT_URL_SETTING, SECRET_NAME_SETTING } from './platform-defaults.js';
export type { WebhookOptions, WebhookHandler, TwilioWebhookEvent, TokenCacheOptions } from '@twiml-guard/core';
export { withTwilioSignature } from './with-twilio-signature.js';

// The core's TwiML builder and types, re-exported so one import is enough.
export { MessagingResponse, VoiceResponse, EMPTY_TWIML, TWIML_CONTENT_TYPE } from '@twiml-guard/core';
export type { HandlerResult, TokenSource } from '@twiml-guard/core';

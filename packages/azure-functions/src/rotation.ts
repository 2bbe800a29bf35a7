/**
 * `@twiml-guard/azure-functions/rotation`: rotating the Twilio auth token (the Event Grid SecretNearExpiry function).
 * A separate entry point: it loads the `twilio` package, which a webhook bundle must never pull in.
 */
export { keyVaultRotation, NEAR_EXPIRY_EVENT, VALIDITY_DAYS_SETTING } from './rotation/key-vault-rotation.js';
export type { KeyVaultRotationOptions, KeyVaultSecretWriter, KeyVaultEventGridEvent } from './rotation/key-vault-rotation.js';
export { officialTwilioAuthTokens } from './rotation/twilio-client.js';
export type { TwilioClientOptions } from './rotation/twilio-client.js';

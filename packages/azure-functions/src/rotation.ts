/**
 * `@twiml-guard/azure-functions/rotation`: rotating the Twilio auth token (the Event Grid request function and the timer function that rotates).
 * A separate entry point: it loads the `twilio` package, which a webhook bundle must never pull in.
 */
export {
  keyVaultRotation,
  keyVaultRotationTimer,
  NEAR_EXPIRY_EVENT,
  EXPIRED_EVENT,
  ROTATION_REQUESTED_TAG,
  VALIDITY_DAYS_SETTING,
} from './rotation/key-vault-rotation.js';
export type {
  KeyVaultRotationOptions,
  KeyVaultSecretWriter,
  KeyVaultEventGridEvent,
  KeyVaultRotationResult,
} from './rotation/key-vault-rotation.js';
export { officialTwilioAuthTokens } from '@twiml-guard/core/rotation';
export type { TwilioClientOptions } from '@twiml-guard/core/rotation';

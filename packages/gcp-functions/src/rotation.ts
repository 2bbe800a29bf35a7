/**
 * `@twiml-guard/gcp-functions/rotation`: rotating the Twilio auth token (the function on the secret's Pub/Sub rotation topic).
 * A separate entry point: it loads the `twilio` package, which a webhook bundle must never pull in.
 */
export { secretManagerRotation, SECRET_ROTATE, PROJECT_NUMBER_VARIABLE } from './rotation/secret-manager-rotation.js';
export type { SecretManagerRotationOptions, SecretVersionWriter, PubSubCloudEvent } from './rotation/secret-manager-rotation.js';
export { officialTwilioAuthTokens } from '@twiml-guard/core/rotation';
export type { TwilioClientOptions } from '@twiml-guard/core/rotation';

/**
 * `@twiml-guard/aws-lambda/rotation`: rotating the Twilio auth token (the Secrets Manager rotation Lambda).
 * A separate entry point: it loads the `twilio` package, which a webhook bundle must never pull in.
 */
export { secretsManagerRotation } from './rotation/secrets-manager-rotation.js';
export { normalizeRotationStep } from './rotation/secrets-manager-event.js';
export type { SecretsManagerRotationEvent, RotationStep } from './rotation/secrets-manager-event.js';
export type { SecretsManagerRotationOptions } from './rotation/secrets-manager-rotation-options.js';
export { officialTwilioAuthTokens } from '@twiml-guard/core/rotation';
export type { TwilioClientOptions } from '@twiml-guard/core/rotation';

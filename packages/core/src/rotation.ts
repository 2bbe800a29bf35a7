/**
 * `@twiml-guard/core/rotation`: rotating the Twilio auth token without losing a webhook. The
 * platform-neutral protocol every adapter's rotation function runs (stage a secondary, wait out the
 * validators' token caches, promote, verify, commit, clean up), the secret's rotation fields, and the
 * official `twilio` client behind it. A separate entry point: it loads the optional peer `twilio`,
 * which a webhook bundle must never pull in. Node only: it is not part of core's web build.
 *
 * @packageDocumentation
 */
export { twilioClientAuthTokens, httpStatus, lazyTwilioFactory, lazyTwilioAuthTokens } from './rotation/twilio-auth-tokens-api.js';
export type {
  TwilioAuthTokensApi,
  TwilioCredentials,
  TwilioRestClientLike,
  TwilioClientAuthTokensOptions,
  TwilioClientOptions,
  TwilioClientFactory,
} from './rotation/twilio-auth-tokens-api.js';
export { officialTwilioAuthTokens } from './rotation/official-twilio-client.js';
export { parseRotationSecret, serializeRotationSecret, withPendingToken, promotedSecret } from './rotation/rotation-secret.js';
export type { TwilioTokenSecret } from './rotation/rotation-secret.js';
export { RotationError, RotationInProgressError } from './rotation/rotation-error.js';
export {
  inspectRotation,
  createPendingToken,
  remainingWaitMs,
  waitForTokenCaches,
  promotePendingToken,
  verifyPromotion,
  cleanUpSecondary,
} from './rotation/protocol.js';
export type { RotationPhase, StoredTokens, WaitOptions } from './rotation/protocol.js';
export {
  rotateTwilioAuthToken,
  resolveTiming,
  timingOptions,
  DEFAULT_ROTATION_CACHE_TTL_MS,
  DEFAULT_ROTATION_SETTLE_MS,
  DEFAULT_PREVIOUS_GRACE_MS,
} from './rotation/rotate.js';
export type { RotationSecretStore, RotationTimingOptions, RotateOptions, RotationOutcome } from './rotation/rotate.js';
export { rotationTimingFromEnv, CACHE_TTL_VARIABLE, PREVIOUS_GRACE_VARIABLE } from './rotation/rotation-env.js';
export { logRotationFailure, ROTATION_GAVE_UP_MESSAGE, ROTATION_ALERT } from './rotation/rotation-failure.js';

export { twilioClientAuthTokens, httpStatus, lazyTwilioFactory, lazyTwilioAuthTokens } from './twilio-auth-tokens-api.js';
export type { TwilioAuthTokensApi, TwilioCredentials, TwilioRestClientLike, TwilioClientAuthTokensOptions, TwilioClientOptions, TwilioClientFactory } from './twilio-auth-tokens-api.js';
export { parseRotationSecret, serializeRotationSecret, withPendingToken, promotedSecret } from './rotation-secret.js';
export type { TwilioTokenSecret } from './rotation-secret.js';
export { RotationError, RotationInProgressError } from './rotation-error.js';
export {
  inspectRotation,
  createPendingToken,
  remainingWaitMs,
  waitForTokenCaches,
  promotePendingToken,
  verifyPromotion,
  cleanUpSecondary,
} from './protocol.js';
export type { RotationPhase, StoredTokens, WaitOptions } from './protocol.js';
export {
  rotateTwilioAuthToken,
  resolveTiming,
  timingOptions,
  DEFAULT_ROTATION_CACHE_TTL_MS,
  DEFAULT_ROTATION_SETTLE_MS,
  DEFAULT_PREVIOUS_GRACE_MS,
} from './rotate.js';
export type { RotationSecretStore, RotationTimingOptions, RotateOptions, RotationOutcome } from './rotate.js';
export { rotationTimingFromEnv, CACHE_TTL_VARIABLE, PREVIOUS_GRACE_VARIABLE } from './rotation-env.js';
export { logRotationFailure, ROTATION_GAVE_UP_MESSAGE, ROTATION_ALERT } from './rotation-failure.js';

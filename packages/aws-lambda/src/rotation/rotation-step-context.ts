/** What the four steps of the Secrets Manager rotation share, resolved once from its options. */
import { stderrJsonLogger, type Logger } from '@twiml-guard/core';
import {
  officialTwilioAuthTokens,
  resolveTiming,
  rotationTimingFromEnv,
  timingOptions,
  type RotationTimingOptions,
  type TwilioAuthTokensApi,
} from '@twiml-guard/core/rotation';
import { secretVersions, type SecretVersions } from './secret-versions.js';
import type { SecretsManagerRotationOptions } from './secrets-manager-rotation-options.js';

/** What every step reads: resolved once per handler, shared by its invocations. */
export interface RotationStepContext {
  readonly timing: Required<RotationTimingOptions>;
  readonly promotionWindowMs: number;
  readonly leaseMs: number;
  readonly logger: Logger;
  readonly twilio: TwilioAuthTokensApi;
  readonly versions: SecretVersions;
}

const DEFAULT_PROMOTION_WINDOW_MS = 5 * 60_000;
const DEFAULT_LEASE_MS = 60_000;

export function rotationStepContext(options: SecretsManagerRotationOptions): RotationStepContext {
  return {
    timing: resolveTiming({ ...rotationTimingFromEnv(), ...timingOptions(options) }),
    promotionWindowMs: options.promotionWindowMs ?? DEFAULT_PROMOTION_WINDOW_MS,
    leaseMs: options.leaseMs ?? DEFAULT_LEASE_MS,
    logger: options.logger ?? stderrJsonLogger,
    twilio: options.twilio ?? officialTwilioAuthTokens(options),
    versions: secretVersions(options),
  };
}

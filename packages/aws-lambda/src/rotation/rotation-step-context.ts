/** The options of the Secrets Manager rotation handler, and what its four steps share once they are resolved. */
import { stderrJsonLogger, type Logger } from '@twiml-guard/core';
import {
  officialTwilioAuthTokens,
  resolveTiming,
  rotationTimingFromEnv,
  timingOptions,
  type RotationTimingOptions,
  type TwilioAuthTokensApi,
  type TwilioClientOptions,
} from '@twiml-guard/core/rotation';
import type { AwsSdkClientLike } from '../tokens/sdk-client.js';
import { secretVersions, type SecretVersions } from './secret-versions.js';

/** Options of `secretsManagerRotation`. Timing defaults come from `TWILIO_TOKEN_CACHE_TTL_SECONDS` / `TWILIO_PREVIOUS_TOKEN_GRACE_SECONDS`. */
export interface SecretsManagerRotationOptions extends RotationTimingOptions, TwilioClientOptions {
  /**
   * A `SecretsManagerClient` (or anything with its `send`).
   * @default one created on first use, from `@aws-sdk/client-secrets-manager`
   */
  readonly client?: AwsSdkClientLike;
  /**
   * The region of the client created by default.
   * @default the SDK's default: the Lambda's `AWS_REGION`
   */
  readonly region?: string;
  /**
   * Twilio's token API.
   * @default `officialTwilioAuthTokens(options)`: the official `twilio` client (`clientOptions` are passed to it)
   */
  readonly twilio?: TwilioAuthTokensApi;
  /**
   * How late setSecret may promote after the cache wait. The old token's expiry is fixed in the pending
   * version (values are immutable) at storedAt + cacheTtlMs + settleMs + this + previousGraceMs; a later
   * setSecret abandons the version rather than cut the grace.
   * @default 300000 (5 minutes)
   */
  readonly promotionWindowMs?: number;
  /**
   * How long createSecret's claim on a version outlives an invocation that died holding it.
   * @default 60000 (60 s)
   */
  readonly leaseMs?: number;
  /**
   * Where each step logs (never a token).
   * @default `stderrJsonLogger`: one JSON line on stderr
   */
  readonly logger?: Logger;
}

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

/**
 * The options of `secretsManagerRotation`. Apart from the step context so that the public declarations
 * never reach the Secrets Manager SDK's types (an optional peer the Lambda runtime ships).
 */
import type { Logger } from '@twiml-guard/core';
import type { RotationTimingOptions, TwilioAuthTokensApi, TwilioClientOptions } from '@twiml-guard/core/rotation';
import type { AwsSdkClientLike } from '../tokens/sdk-client.js';

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

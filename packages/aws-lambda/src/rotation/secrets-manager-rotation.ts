/**
 * The Secrets Manager rotation Lambda for a Twilio auth token: the four steps Secrets Manager invokes,
 * each in its own file, mapped onto the core's rotation protocol.
 *
 *   createSecret  Twilio secondary → new version labelled AWSPENDING {accountSid, authToken: new, previousAuthToken: old}
 *   setSecret     wait out the webhook's token cache (it reads AWSCURRENT + AWSPENDING), then Promote
 *   testSecret    Twilio accepts the new token and refuses the old one
 *   finishSecret  AWSCURRENT → the new version (Secrets Manager labels the old one AWSPREVIOUS)
 *
 * Every step is idempotent: a retried or re-run step looks at the labels and at Twilio before acting.
 * Concurrent invocations for one version (duplicate deliveries, retries overlapping a slow attempt) are
 * safe: createSecret first claims the version (pending-version-claim.ts), a second Promote finds no
 * secondary, and finishSecret's label move names the version it moves AWSCURRENT from.
 * The SDK and `twilio` load on first use.
 */
import { logRotationFailure, RotationError } from '@twiml-guard/core/rotation';
import { createSecret } from './create-secret.js';
import { finishSecret } from './finish-secret.js';
import { rotationStepContext, type RotationStepContext } from './rotation-step-context.js';
import type { SecretsManagerRotationOptions } from './secrets-manager-rotation-options.js';
import { normalizeRotationStep, type RotationStep, type SecretsManagerRotationEvent } from './secrets-manager-event.js';
import { setSecret } from './set-secret.js';
import { testSecret } from './test-secret.js';

const STEPS: Record<RotationStep, (context: RotationStepContext, event: SecretsManagerRotationEvent) => Promise<void>> = {
  createSecret,
  setSecret,
  testSecret,
  finishSecret,
};

/**
 * A Lambda handler for the secret's rotation schedule: each invocation runs the step the event names
 * on the version it names, and does nothing for a version that is already AWSCURRENT. A failed step is
 * logged (a failure that needs a person with the `twilio-auth-token-rotation` alert) and thrown, so
 * Secrets Manager retries it.
 *
 * @param options - The Secrets Manager client or region, the Twilio client, timing (defaults from
 *   `TWILIO_TOKEN_CACHE_TTL_SECONDS` / `TWILIO_PREVIOUS_TOKEN_GRACE_SECONDS`), promotion window, lease, logger.
 * @returns The handler Secrets Manager invokes with a `SecretsManagerRotationEvent`.
 * @example
 * ```ts
 * import { secretsManagerRotation } from '@twiml-guard/aws-lambda/rotation';
 *
 * export const handler = secretsManagerRotation();
 * ```
 */
export function secretsManagerRotation(options: SecretsManagerRotationOptions = {}): (event: SecretsManagerRotationEvent) => Promise<void> {
  const context = rotationStepContext(options);
  return async (event) => {
    const step = normalizeRotationStep(event?.Step);
    if (!step || typeof event.SecretId !== 'string' || typeof event.ClientRequestToken !== 'string') {
      throw new RotationError(`not a Secrets Manager rotation event (Step ${JSON.stringify(event?.Step)})`);
    }
    if (!(await versionAwaitsStep(context, event, step))) return;
    try {
      await STEPS[step](context, event);
    } catch (error) {
      logRotationFailure(context.logger, error, 'Secrets Manager retries the rotation', {
        step,
        secretId: event.SecretId,
        versionId: event.ClientRequestToken,
      });
      throw error;
    }
  };
}

/** Whether the event's version is being rotated: `false` when it is already AWSCURRENT; throws when it is not the rotation's. */
async function versionAwaitsStep(
  { versions, logger }: RotationStepContext,
  event: SecretsManagerRotationEvent,
  step: RotationStep,
): Promise<boolean> {
  const { SecretId: secretId, ClientRequestToken: token } = event;
  const description = await versions.describe(secretId);
  if (description.RotationEnabled === false) throw new RotationError(`secret ${secretId} does not have rotation enabled`);
  const stages = description.VersionIdsToStages?.[token];
  if (!stages) throw new RotationError(`secret version ${token} has no stage for rotation of secret ${secretId}`);
  if (stages.includes('AWSCURRENT')) {
    logger.info({ msg: `${step}: version is already AWSCURRENT; nothing to do`, secretId, versionId: token });
    return false;
  }
  if (!stages.includes('AWSPENDING'))
    throw new RotationError(`secret version ${token} is not AWSPENDING for rotation of secret ${secretId}`);
  return true;
}

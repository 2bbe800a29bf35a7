/**
 * createSecret's claim on the pending version, so that of concurrent invocations for one version
 * (duplicate deliveries, retries overlapping a slow attempt) exactly one creates Twilio's secondary.
 * The claim is a PutSecretValue of a claim version whose ClientRequestToken is derived from the
 * rotation's: Secrets Manager stores one value per token, so a second, different value fails with
 * ResourceExistsException. Validators read only AWSCURRENT and AWSPENDING, never the claim label.
 */
import { createHash, randomUUID } from 'node:crypto';
import { errorName } from '../tokens/sdk-client.js';
import type { RotationStepContext } from './rotation-step-context.js';
import type { SecretsManagerRotationEvent } from './secrets-manager-event.js';

/** The custom staging label of the claim versions createSecret writes (validators read only AWSCURRENT/AWSPENDING). */
export const CLAIM_STAGE = 'TWIMLGUARD_ROTATION_CLAIM';

/**
 * Claims the pending version for this invocation. Of concurrent invocations exactly one succeeds; the
 * others wait until the pending version exists ('done'), or until the winner's lease runs out (it
 * died) and then claim with the next derived token.
 */
export async function claimPendingVersion(
  context: RotationStepContext,
  event: SecretsManagerRotationEvent,
): Promise<{ readonly claimToken: string } | 'done'> {
  const { versions, timing, logger, leaseMs } = context;
  const { SecretId: secretId, ClientRequestToken: token } = event;
  const owner = randomUUID();
  for (let attempt = 0; ; attempt++) {
    const claimToken = derivedVersionId(token, `claim:${attempt}`);
    const claim = JSON.stringify({ twimlGuardRotationClaim: { versionId: token, owner, until: timing.now() + leaseMs } });
    try {
      await versions.send(
        (m) =>
          new m.PutSecretValueCommand({
            SecretId: secretId,
            ClientRequestToken: claimToken,
            SecretString: claim,
            VersionStages: [CLAIM_STAGE],
            ...(event.RotationToken ? { RotationToken: event.RotationToken } : {}),
          }),
      );
      return { claimToken };
    } catch (error) {
      if (errorName(error) !== 'ResourceExistsException') throw error;
    }
    const held = await versions.raw(secretId, claimToken);
    const until = claimUntil(held);
    logger.info({ msg: 'createSecret: another invocation holds the claim on this version; waiting', secretId, versionId: token });
    for (;;) {
      if (await versions.read(secretId, { VersionStage: 'AWSPENDING', VersionId: token })) return 'done';
      if (timing.now() >= until) break;
      await timing.sleep(Math.min(1_000, Math.max(50, until - timing.now())));
    }
  }
}

/** A version id (ClientRequestToken, 32–64 characters) derived from the rotation's: the same for every invocation. */
function derivedVersionId(token: string, purpose: string): string {
  const hex = createHash('sha256').update(`${token}\n${purpose}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

function claimUntil(text: string | undefined): number {
  try {
    const until = (JSON.parse(text ?? '') as { twimlGuardRotationClaim?: { until?: unknown } }).twimlGuardRotationClaim?.until;
    return typeof until === 'number' ? until : 0;
  } catch {
    return 0;
  }
}

/**
 * Step 4, finishSecret: AWSCURRENT moves to the new version (Secrets Manager labels the old one
 * AWSPREVIOUS), naming the version it moves the label from, so a concurrent invocation's move is
 * recognised; then any secondary left at Twilio is deleted.
 */
import { describeError } from '@twiml-guard/core';
import { cleanUpSecondary } from '@twiml-guard/core/rotation';
import type { RotationStepContext } from './rotation-step-context.js';
import type { SecretsManagerRotationEvent } from './secrets-manager-event.js';

export async function finishSecret(context: RotationStepContext, event: SecretsManagerRotationEvent): Promise<void> {
  const { versions, twilio, logger } = context;
  const { SecretId: secretId, ClientRequestToken: token } = event;
  const description = await versions.describe(secretId);
  const currentVersion = Object.entries(description.VersionIdsToStages ?? {}).find(([, stages]) => stages.includes('AWSCURRENT'))?.[0];
  if (currentVersion !== token) {
    try {
      await versions.send(
        (m) =>
          new m.UpdateSecretVersionStageCommand({
            SecretId: secretId,
            VersionStage: 'AWSCURRENT',
            MoveToVersionId: token,
            ...(currentVersion ? { RemoveFromVersionId: currentVersion } : {}),
          }),
      );
    } catch (error) {
      // A concurrent invocation moved the label first (RemoveFromVersionId no longer matches): fine if it moved it here.
      const now = await versions.describe(secretId);
      if (!now.VersionIdsToStages?.[token]?.includes('AWSCURRENT')) throw error;
    }
  }
  // AWSPENDING stays on the new version (as with AWS's own rotations): removing it here could let a webhook
  // that reads AWSCURRENT just before the move and AWSPENDING just after see only the old token.
  logger.info({ msg: 'finishSecret: AWSCURRENT moved to the new version', secretId, versionId: token, previousVersionId: currentVersion });
  const finished = await versions.read(secretId, { VersionStage: 'AWSCURRENT' });
  if (finished) {
    await cleanUpSecondary(finished.secret.accountSid, finished.secret.authToken, twilio).catch((error: unknown) =>
      logger.warn({ msg: 'finishSecret: could not check for a leftover Twilio secondary token', secretId, error: describeError(error) }),
    );
  }
}

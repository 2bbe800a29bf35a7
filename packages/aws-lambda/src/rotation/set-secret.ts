/**
 * Step 2, setSecret: wait out the webhooks' token cache (they read AWSCURRENT + AWSPENDING), then
 * Promote at Twilio, so the new token signs. Never after the deadline createSecret recorded
 * (`promoteBy`): the old token's expiry was fixed from it, and a later promotion would cut its grace.
 */
import { cleanUpSecondary, inspectRotation, promotePendingToken, RotationError, waitForTokenCaches } from '@twiml-guard/core/rotation';
import { pendingVersionTokens, type PendingVersionTokens } from './pending-version-tokens.js';
import type { RotationStepContext } from './rotation-step-context.js';
import type { SecretsManagerRotationEvent } from './secrets-manager-event.js';

export async function setSecret(context: RotationStepContext, event: SecretsManagerRotationEvent): Promise<void> {
  const { versions, twilio, logger, timing } = context;
  const { secretId, accountSid, tokens, pending } = await pendingVersionTokens(versions, event);
  const phase = await inspectRotation(tokens, twilio);
  if (phase === 'promoted') {
    logger.info({ msg: 'setSecret: already promoted', secretId, accountSid });
    return;
  }
  if (phase !== 'pending-staged') {
    throw new RotationError(
      `setSecret: the AWSPENDING token of ${secretId} is no longer Twilio's secondary; remove the label (aws secretsmanager update-secret-version-stage --secret-id ${secretId} --version-stage AWSPENDING --remove-from-version-id ${event.ClientRequestToken}) and rotate again`,
    );
  }
  // Counted from when the token was stored (RotateSecret created the version, and its CreatedDate, earlier).
  const storedAt =
    typeof pending.secret.pendingAuthTokenStoredAt === 'string' ? Date.parse(pending.secret.pendingAuthTokenStoredAt) : pending.createdAt;
  const promoteBy = typeof pending.secret.promoteBy === 'string' ? Date.parse(pending.secret.promoteBy) : Number.NaN;
  const waitedMs = timing.now() > promoteBy ? 0 : await waitForTokenCaches(storedAt, timing);
  if (timing.now() > promoteBy && (await abandon(context, event, tokens)) === 'already-promoted') {
    logger.info({ msg: 'setSecret: past the deadline, but another invocation already promoted the pending token', secretId, accountSid });
    return;
  }
  const result = await promotePendingToken(tokens, twilio);
  logger.info({ msg: 'setSecret: pending token promoted at Twilio', secretId, accountSid, waitedMs, result });
}

/**
 * setSecret after the deadline: the stored expiry of the old token would cut the grace. Undo the stage, never promote.
 * Unless the pending token is already the primary (a concurrent or earlier invocation promoted it, and Twilio
 * still accepted the old token when this one looked): then AWSPENDING must stay, or no webhook would pass.
 */
async function abandon(
  { versions, twilio }: RotationStepContext,
  event: SecretsManagerRotationEvent,
  tokens: PendingVersionTokens['tokens'],
): Promise<'already-promoted'> {
  const { SecretId: secretId, ClientRequestToken: token } = event;
  await cleanUpSecondary(tokens.accountSid, tokens.current, twilio);
  // Deleting the secondary makes a pending token that was never promoted stop authenticating, whatever DELETE answered.
  if (await twilio.authenticates({ accountSid: tokens.accountSid, authToken: tokens.pending })) return 'already-promoted';
  await versions.send(
    (m) => new m.UpdateSecretVersionStageCommand({ SecretId: secretId, VersionStage: 'AWSPENDING', RemoveFromVersionId: token }),
  );
  throw new RotationError(
    `setSecret ran after the promotion deadline recorded in version ${token} of ${secretId} (promoteBy): promoting now would cut the old token's grace, so the version was abandoned (AWSPENDING removed, Twilio's secondary deleted). Rotate again (aws secretsmanager rotate-secret --secret-id ${secretId}) or wait for the schedule`,
  );
}

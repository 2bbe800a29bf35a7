/**
 * Step 1, createSecret: Twilio creates a secondary token, stored as a new version labelled AWSPENDING
 * {accountSid, authToken: new, previousAuthToken: old}. Webhooks read AWSCURRENT and AWSPENDING, so
 * from here on they accept the new token too.
 *
 * A version's value cannot change once stored, so the promotion time cannot be written after the fact:
 * the version records when the pending token was stored and a promotion deadline (`promoteBy`), and
 * the old token's expiry is that deadline plus the grace (setSecret never promotes after the deadline).
 */
import {
  createPendingToken,
  RotationError,
  RotationInProgressError,
  serializeRotationSecret,
  type TwilioTokenSecret,
} from '@twiml-guard/core/rotation';
import { CLAIM_STAGE, claimPendingVersion } from './pending-version-claim.js';
import type { RotationStepContext } from './rotation-step-context.js';
import type { SecretsManagerRotationEvent } from './secrets-manager-event.js';

export async function createSecret(context: RotationStepContext, event: SecretsManagerRotationEvent): Promise<void> {
  const { versions, twilio, logger } = context;
  const { SecretId: secretId, ClientRequestToken: token } = event;
  const current = await versions.required(secretId, { VersionStage: 'AWSCURRENT' });
  if (await versions.read(secretId, { VersionStage: 'AWSPENDING', VersionId: token })) {
    logger.info({ msg: 'createSecret: pending version already exists', secretId, versionId: token });
    return;
  }
  const { accountSid } = current.secret;
  const primary = current.secret.authToken;
  if (!(await twilio.authenticates({ accountSid, authToken: primary }))) {
    throw new RotationError(
      `Twilio refuses the AWSCURRENT auth token of ${accountSid} in ${secretId}: put the account's current auth token into the secret by hand`,
    );
  }
  const claim = await claimPendingVersion(context, event);
  // Also when this claim followed one that ran out: its holder may have stored the version meanwhile.
  if (claim === 'done' || (await versions.read(secretId, { VersionStage: 'AWSPENDING', VersionId: token }))) {
    logger.info({ msg: 'createSecret: another invocation stored the pending version', secretId, versionId: token });
    return;
  }
  const pending = await createPendingToken({ accountSid, current: primary }, twilio);
  // Twilio's answers may have outlived the lease: a later claimant may have replaced this secondary.
  const description = await versions.describe(secretId);
  if (!description.VersionIdsToStages?.[claim.claimToken]?.includes(CLAIM_STAGE)) {
    throw new RotationInProgressError(
      `createSecret: this invocation's claim on version ${token} of ${secretId} ran out while Twilio answered; the invocation that holds it now stores the pending version`,
    );
  }
  const next = pendingSecret(context, current.secret, pending);
  await versions.send(
    (m) =>
      new m.PutSecretValueCommand({
        SecretId: secretId,
        ClientRequestToken: token,
        SecretString: serializeRotationSecret(next),
        VersionStages: ['AWSPENDING'],
        ...(event.RotationToken ? { RotationToken: event.RotationToken } : {}),
      }),
  );
  logger.info({ msg: 'createSecret: Twilio secondary token stored as AWSPENDING', secretId, accountSid, versionId: token });
}

/** The AWSPENDING value: the new token as primary, the old one previous until the grace after the latest allowed promotion. */
function pendingSecret({ timing, promotionWindowMs }: RotationStepContext, current: TwilioTokenSecret, pending: string): TwilioTokenSecret {
  const { pendingAuthToken: _p, pendingAuthTokenStoredAt: _s, promoteBy: _d, rotationId: _r, ...rest } = current;
  const now = timing.now();
  const promoteBy = now + timing.cacheTtlMs + timing.settleMs + promotionWindowMs;
  return {
    ...rest,
    accountSid: current.accountSid,
    authToken: pending,
    pendingAuthTokenStoredAt: new Date(now).toISOString(),
    promoteBy: new Date(promoteBy).toISOString(),
    previousAuthToken: current.authToken,
    previousAuthTokenExpiresAt: new Date(promoteBy + timing.previousGraceMs).toISOString(),
  };
}

/** The tokens setSecret and testSecret work on, read from the AWSCURRENT and AWSPENDING versions. */
import { RotationError } from '@twiml-guard/core/rotation';
import type { SecretsManagerRotationEvent } from './secrets-manager-event.js';
import type { SecretVersion, SecretVersions } from './secret-versions.js';

export interface PendingVersionTokens {
  readonly secretId: string;
  readonly accountSid: string;
  readonly pending: SecretVersion;
  /** `current`: the token that was primary when the pending version was created; `pending`: the new one. */
  readonly tokens: { readonly accountSid: string; readonly current: string; readonly pending: string };
}

export async function pendingVersionTokens(versions: SecretVersions, event: SecretsManagerRotationEvent): Promise<PendingVersionTokens> {
  const { SecretId: secretId, ClientRequestToken: token } = event;
  const current = await versions.required(secretId, { VersionStage: 'AWSCURRENT' });
  const pending = await versions.required(secretId, { VersionStage: 'AWSPENDING', VersionId: token });
  const { accountSid } = current.secret;
  if (pending.secret.accountSid !== accountSid) throw new RotationError(`the AWSPENDING version of ${secretId} is for another account`);
  const before = pending.secret.previousAuthToken ?? current.secret.authToken;
  return { secretId, accountSid, pending, tokens: { accountSid, current: before, pending: pending.secret.authToken } };
}

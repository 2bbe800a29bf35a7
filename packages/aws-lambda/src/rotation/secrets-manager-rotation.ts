/**
 * The Secrets Manager rotation Lambda for a Twilio auth token: the
 * four steps Secrets Manager invokes, mapped onto the core's rotation protocol.
 *
 *   createSecret  Twilio secondary → new version labelled AWSPENDING {accountSid, authToken: new, previousAuthToken: old}
 *   setSecret     wait out the webhook's token cache (it reads AWSCURRENT + AWSPENDING), then Promote
 *   testSecret    Twilio accepts the new token and refuses the old one
 *   finishSecret  AWSCURRENT → the new version (Secrets Manager labels the old one AWSPREVIOUS)
 *
 * Every step is idempotent: a retried or re-run step looks at the labels and at Twilio before acting.
 * The SDK and `twilio` load on first use.
 */
import {
  cleanUpSecondary,
  createPendingToken,
  describeError,
  inspectRotation,
  parseRotationSecret,
  promotePendingToken,
  resolveTiming,
  rotationTimingFromEnv,
  RotationError,
  serializeRotationSecret,
  stderrJsonLogger,
  timingOptions,
  verifyPromotion,
  waitForTokenCaches,
  type Logger,
  type RotationTimingOptions,
  type TwilioAuthTokensApi,
  type TwilioTokenSecret,
  optionalPeerMissing,
} from '@twiml-guard/core';
import { errorName, secretText, type AwsSdkClientLike } from '../tokens/sdk-client.js';
import { officialTwilioAuthTokens, type TwilioClientOptions } from './twilio-client.js';

/** The event Secrets Manager sends (the docs spell Step in camelCase and in snake_case; both are accepted). */
export interface SecretsManagerRotationEvent {
  readonly Step: string;
  readonly SecretId: string;
  readonly ClientRequestToken: string;
  readonly RotationToken?: string;
}

export type RotationStep = 'createSecret' | 'setSecret' | 'testSecret' | 'finishSecret';

export interface SecretsManagerRotationOptions extends RotationTimingOptions, TwilioClientOptions {
  /** A `SecretsManagerClient` (or anything with its `send`). Default: one created on first use. */
  readonly client?: AwsSdkClientLike;
  readonly region?: string;
  /** Twilio's token API. Default: the official `twilio` client (`clientOptions` are passed to it). */
  readonly twilio?: TwilioAuthTokensApi;
  readonly logger?: Logger;
}

type SecretsManagerSdk = typeof import('@aws-sdk/client-secrets-manager');

interface SecretVersion {
  readonly secret: TwilioTokenSecret;
  readonly versionId: string | undefined;
  readonly createdAt: number | undefined;
}

const STEPS: Record<string, RotationStep> = {
  createsecret: 'createSecret',
  setsecret: 'setSecret',
  testsecret: 'testSecret',
  finishsecret: 'finishSecret',
};

export function normalizeRotationStep(step: unknown): RotationStep | undefined {
  return typeof step === 'string' ? STEPS[step.replace(/_/g, '').toLowerCase()] : undefined;
}

/**
 * A Lambda handler for the rotation schedule: `export const handler = secretsManagerRotation()`.
 * Timing defaults come from `TWILIO_TOKEN_CACHE_TTL_SECONDS` / `TWILIO_PREVIOUS_TOKEN_GRACE_SECONDS`.
 */
export function secretsManagerRotation(options: SecretsManagerRotationOptions = {}): (event: SecretsManagerRotationEvent) => Promise<void> {
  const timing = resolveTiming({ ...rotationTimingFromEnv(), ...timingOptions(options) });
  const logger = options.logger ?? stderrJsonLogger;
  const twilio = options.twilio ?? officialTwilioAuthTokens(options);
  let sdk: Promise<SecretsManagerSdk> | undefined;
  let client = options.client;

  const send = async <T>(build: (module: SecretsManagerSdk) => unknown): Promise<T> => {
    const module = await (sdk ??= import('@aws-sdk/client-secrets-manager').catch(optionalPeerMissing('@aws-sdk/client-secrets-manager')));
    client ??= new module.SecretsManagerClient(options.region ? { region: options.region } : {});
    return (await client.send(build(module) as never)) as T;
  };

  const readVersion = async (secretId: string, selector: { VersionStage: string; VersionId?: string }): Promise<SecretVersion | undefined> => {
    let output: { SecretString?: unknown; SecretBinary?: unknown; VersionId?: string; CreatedDate?: Date | number };
    try {
      output = await send((m) => new m.GetSecretValueCommand({ SecretId: secretId, ...selector }));
    } catch (error) {
      if (errorName(error) === 'ResourceNotFoundException') return undefined;
      throw error;
    }
    const text = secretText(output);
    if (text === undefined) throw new RotationError(`secret ${secretId} (${selector.VersionStage}) has neither SecretString nor SecretBinary`);
    const created = output.CreatedDate instanceof Date ? output.CreatedDate.getTime() : typeof output.CreatedDate === 'number' ? output.CreatedDate * 1000 : undefined;
    return { secret: parseRotationSecret(text), versionId: output.VersionId, createdAt: created };
  };

  const required = async (secretId: string, selector: { VersionStage: string; VersionId?: string }): Promise<SecretVersion> => {
    const version = await readVersion(secretId, selector);
    if (!version) throw new RotationError(`secret ${secretId} has no version ${selector.VersionId ?? ''} labelled ${selector.VersionStage}`);
    return version;
  };

  /** The token Twilio signs with now: normally AWSCURRENT's; after an abandoned rotation, a pending version's. */
  const primaryToken = async (secretId: string, current: TwilioTokenSecret): Promise<string> => {
    const { accountSid } = current;
    if (await twilio.authenticates({ accountSid, authToken: current.authToken })) return current.authToken;
    const abandoned = await readVersion(secretId, { VersionStage: 'AWSPENDING' });
    if (abandoned && abandoned.secret.accountSid === accountSid && (await twilio.authenticates({ accountSid, authToken: abandoned.secret.authToken }))) {
      logger.warn({ msg: 'an earlier rotation promoted its token but never finished; rotating on from that token', secretId, accountSid });
      return abandoned.secret.authToken;
    }
    throw new RotationError(`Twilio refuses the AWSCURRENT auth token of ${accountSid} in ${secretId}: put the account's current auth token into the secret by hand`);
  };

  const steps: Record<RotationStep, (event: SecretsManagerRotationEvent) => Promise<void>> = {
    async createSecret(event) {
      const { SecretId: secretId, ClientRequestToken: token } = event;
      const current = await required(secretId, { VersionStage: 'AWSCURRENT' });
      if (await readVersion(secretId, { VersionStage: 'AWSPENDING', VersionId: token })) {
        logger.info({ msg: 'createSecret: pending version already exists', secretId, versionId: token });
        return;
      }
      const { accountSid } = current.secret;
      const primary = await primaryToken(secretId, current.secret);
      const pending = await createPendingToken({ accountSid, current: primary }, twilio);
      const { pendingAuthToken: _p, pendingAuthTokenStoredAt: _s, rotationId: _r, ...rest } = current.secret;
      const now = timing.now();
      // The old token stays valid for validators from now until the grace after the latest possible promotion.
      const next: TwilioTokenSecret = {
        ...rest,
        accountSid,
        authToken: pending,
        previousAuthToken: primary,
        previousAuthTokenExpiresAt: new Date(now + timing.cacheTtlMs + timing.settleMs + timing.previousGraceMs).toISOString(),
      };
      await send((m) =>
        new m.PutSecretValueCommand({
          SecretId: secretId,
          ClientRequestToken: token,
          SecretString: serializeRotationSecret(next),
          VersionStages: ['AWSPENDING'],
          ...(event.RotationToken ? { RotationToken: event.RotationToken } : {}),
        }),
      );
      logger.info({ msg: 'createSecret: Twilio secondary token stored as AWSPENDING', secretId, accountSid, versionId: token });
    },

    async setSecret(event) {
      const { secretId, accountSid, tokens, pending } = await stagedTokens(event);
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
      const waitedMs = await waitForTokenCaches(pending.createdAt, timing);
      const result = await promotePendingToken(tokens, twilio);
      logger.info({ msg: 'setSecret: pending token promoted at Twilio', secretId, accountSid, waitedMs, result });
    },

    async testSecret(event) {
      const { secretId, accountSid, tokens } = await stagedTokens(event);
      await verifyPromotion(tokens, twilio);
      logger.info({ msg: 'testSecret: Twilio accepts the new token and refuses the old one', secretId, accountSid });
    },

    async finishSecret(event) {
      const { SecretId: secretId, ClientRequestToken: token } = event;
      const description = await describe(secretId);
      const currentVersion = Object.entries(description.VersionIdsToStages ?? {}).find(([, stages]) => stages.includes('AWSCURRENT'))?.[0];
      if (currentVersion !== token) {
        await send((m) =>
          new m.UpdateSecretVersionStageCommand({ SecretId: secretId, VersionStage: 'AWSCURRENT', MoveToVersionId: token, ...(currentVersion ? { RemoveFromVersionId: currentVersion } : {}) }),
        );
      }
      // AWSPENDING stays on the new version (as with AWS's own rotations): removing it here could let a webhook
      // that reads AWSCURRENT just before the move and AWSPENDING just after see only the old token.
      logger.info({ msg: 'finishSecret: AWSCURRENT moved to the new version', secretId, versionId: token, previousVersionId: currentVersion });
      const finished = await readVersion(secretId, { VersionStage: 'AWSCURRENT' });
      if (finished) {
        await cleanUpSecondary(finished.secret.accountSid, finished.secret.authToken, twilio).catch((error: unknown) =>
          logger.warn({ msg: 'finishSecret: could not check for a leftover Twilio secondary token', secretId, error: describeError(error) }),
        );
      }
    },
  };

  const describe = (secretId: string) =>
    send<{ RotationEnabled?: boolean; VersionIdsToStages?: Record<string, string[]> }>((m) => new m.DescribeSecretCommand({ SecretId: secretId }));

  /** The token that was primary when the pending version was created, and the pending one. */
  async function stagedTokens(event: SecretsManagerRotationEvent) {
    const { SecretId: secretId, ClientRequestToken: token } = event;
    const current = await required(secretId, { VersionStage: 'AWSCURRENT' });
    const pending = await required(secretId, { VersionStage: 'AWSPENDING', VersionId: token });
    const { accountSid } = current.secret;
    if (pending.secret.accountSid !== accountSid) throw new RotationError(`the AWSPENDING version of ${secretId} is for another account`);
    const before = pending.secret.previousAuthToken ?? current.secret.authToken;
    return { secretId, accountSid, pending, tokens: { accountSid, current: before, pending: pending.secret.authToken } };
  }

  return async (event) => {
    const step = normalizeRotationStep(event?.Step);
    if (!step || typeof event.SecretId !== 'string' || typeof event.ClientRequestToken !== 'string') {
      throw new RotationError(`not a Secrets Manager rotation event (Step ${JSON.stringify(event?.Step)})`);
    }
    const { SecretId: secretId, ClientRequestToken: token } = event;
    const description = await describe(secretId);
    if (description.RotationEnabled === false) throw new RotationError(`secret ${secretId} does not have rotation enabled`);
    const stages = description.VersionIdsToStages?.[token];
    if (!stages) throw new RotationError(`secret version ${token} has no stage for rotation of secret ${secretId}`);
    if (stages.includes('AWSCURRENT')) {
      logger.info({ msg: `${step}: version is already AWSCURRENT; nothing to do`, secretId, versionId: token });
      return;
    }
    if (!stages.includes('AWSPENDING')) {
      throw new RotationError(`secret version ${token} is not AWSPENDING for rotation of secret ${secretId}`);
    }
    try {
      await steps[step](event);
    } catch (error) {
      logger.error({ msg: `${step} failed`, secretId, versionId: token, error: describeError(error) });
      throw error;
    }
  };
}

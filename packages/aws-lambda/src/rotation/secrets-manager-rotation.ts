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
 * Concurrent invocations for one version (duplicate deliveries, retries overlapping a slow attempt) are
 * safe: createSecret first claims the version through PutSecretValue's own conditional write (a claim
 * version whose ClientRequestToken derives from the rotation's; a second, different value for the same
 * token fails with ResourceExistsException), a second Promote finds no secondary, and finishSecret's
 * label move names the version it moves AWSCURRENT from.
 *
 * A version's value cannot change once stored, so the promotion time cannot be written after the fact:
 * createSecret records when the pending token was stored and a promotion deadline (`promoteBy`), and
 * the old token's expiry is that deadline plus the grace. setSecret waits from the recorded time and
 * never promotes after the deadline (it abandons the version instead), so the grace is never cut short.
 * The SDK and `twilio` load on first use.
 */
import { createHash, randomUUID } from 'node:crypto';
import { describeError, stderrJsonLogger, type Logger, optionalPeerMissing } from '@twiml-guard/core';
import {
  cleanUpSecondary,
  createPendingToken,
  inspectRotation,
  logRotationFailure,
  officialTwilioAuthTokens,
  parseRotationSecret,
  promotePendingToken,
  resolveTiming,
  rotationTimingFromEnv,
  RotationError,
  RotationInProgressError,
  serializeRotationSecret,
  timingOptions,
  verifyPromotion,
  waitForTokenCaches,
  type RotationTimingOptions,
  type TwilioAuthTokensApi,
  type TwilioClientOptions,
  type TwilioTokenSecret,
} from '@twiml-guard/core/rotation';
import { errorName, secretText, type AwsSdkClientLike } from '../tokens/sdk-client.js';

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
  /**
   * How late setSecret may promote after the cache wait. The old token's expiry is fixed in the pending
   * version (values are immutable) at storedAt + cacheTtlMs + settleMs + this + previousGraceMs; a later
   * setSecret abandons the version rather than cut the grace. Default 5 minutes.
   */
  readonly promotionWindowMs?: number;
  /** How long createSecret's claim on a version outlives an invocation that died holding it. Default 60 s. */
  readonly leaseMs?: number;
  readonly logger?: Logger;
}

/** The custom staging label of the claim versions createSecret writes (validators read only AWSCURRENT/AWSPENDING). */
export const CLAIM_STAGE = 'TWIMLGUARD_ROTATION_CLAIM';
const DEFAULT_PROMOTION_WINDOW_MS = 5 * 60_000;
const DEFAULT_LEASE_MS = 60_000;

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
  const promotionWindowMs = options.promotionWindowMs ?? DEFAULT_PROMOTION_WINDOW_MS;
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
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

  /** A version's raw value by id (the claim versions are not rotation secrets). */
  const rawVersion = async (secretId: string, versionId: string): Promise<string | undefined> => {
    try {
      const output = await send<{ SecretString?: unknown; SecretBinary?: unknown }>((m) => new m.GetSecretValueCommand({ SecretId: secretId, VersionId: versionId }));
      return secretText(output);
    } catch (error) {
      if (errorName(error) === 'ResourceNotFoundException') return undefined;
      throw error;
    }
  };

  /**
   * Claims the pending version for this invocation: PutSecretValue of a claim whose ClientRequestToken is
   * derived from the rotation's. Only one value can be stored under a token, so of concurrent invocations
   * exactly one succeeds; the others wait until the pending version exists ('done'), or until the
   * winner's lease runs out (it died) and then claim with the next derived token.
   */
  const claimPendingVersion = async (event: SecretsManagerRotationEvent): Promise<{ readonly claimToken: string } | 'done'> => {
    const { SecretId: secretId, ClientRequestToken: token } = event;
    const owner = randomUUID();
    for (let attempt = 0; ; attempt++) {
      const claimToken = derivedVersionId(token, `claim:${attempt}`);
      const claim = JSON.stringify({ twimlGuardRotationClaim: { versionId: token, owner, until: timing.now() + leaseMs } });
      try {
        await send((m) =>
          new m.PutSecretValueCommand({ SecretId: secretId, ClientRequestToken: claimToken, SecretString: claim, VersionStages: [CLAIM_STAGE], ...(event.RotationToken ? { RotationToken: event.RotationToken } : {}) }),
        );
        return { claimToken };
      } catch (error) {
        if (errorName(error) !== 'ResourceExistsException') throw error;
      }
      const held = await rawVersion(secretId, claimToken);
      const until = claimUntil(held);
      logger.info({ msg: 'createSecret: another invocation holds the claim on this version; waiting', secretId, versionId: token });
      for (;;) {
        if (await readVersion(secretId, { VersionStage: 'AWSPENDING', VersionId: token })) return 'done';
        if (timing.now() >= until) break;
        await timing.sleep(Math.min(1_000, Math.max(50, until - timing.now())));
      }
    }
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
      const primary = current.secret.authToken;
      if (!(await twilio.authenticates({ accountSid, authToken: primary }))) {
        throw new RotationError(`Twilio refuses the AWSCURRENT auth token of ${accountSid} in ${secretId}: put the account's current auth token into the secret by hand`);
      }
      const claim = await claimPendingVersion(event);
      // Also when this claim followed one that ran out: its holder may have stored the version meanwhile.
      if (claim === 'done' || (await readVersion(secretId, { VersionStage: 'AWSPENDING', VersionId: token }))) {
        logger.info({ msg: 'createSecret: another invocation stored the pending version', secretId, versionId: token });
        return;
      }
      const pending = await createPendingToken({ accountSid, current: primary }, twilio);
      // Twilio's answers may have outlived the lease: a later claimant may have replaced this secondary.
      const description = await describe(secretId);
      if (!description.VersionIdsToStages?.[claim.claimToken]?.includes(CLAIM_STAGE)) {
        throw new RotationInProgressError(`createSecret: this invocation's claim on version ${token} of ${secretId} ran out while Twilio answered; the invocation that holds it now stores the pending version`);
      }
      const { pendingAuthToken: _p, pendingAuthTokenStoredAt: _s, promoteBy: _d, rotationId: _r, ...rest } = current.secret;
      const now = timing.now();
      const promoteBy = now + timing.cacheTtlMs + timing.settleMs + promotionWindowMs;
      // The old token stays valid for validators until the grace after the latest allowed promotion.
      const next: TwilioTokenSecret = {
        ...rest,
        accountSid,
        authToken: pending,
        pendingAuthTokenStoredAt: new Date(now).toISOString(),
        promoteBy: new Date(promoteBy).toISOString(),
        previousAuthToken: primary,
        previousAuthTokenExpiresAt: new Date(promoteBy + timing.previousGraceMs).toISOString(),
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
      // Counted from when the token was stored (RotateSecret created the version, and its CreatedDate, earlier).
      const storedAt = typeof pending.secret.pendingAuthTokenStoredAt === 'string' ? Date.parse(pending.secret.pendingAuthTokenStoredAt) : pending.createdAt;
      const promoteBy = typeof pending.secret.promoteBy === 'string' ? Date.parse(pending.secret.promoteBy) : Number.NaN;
      const waitedMs = timing.now() > promoteBy ? 0 : await waitForTokenCaches(storedAt, timing);
      if (timing.now() > promoteBy && (await abandon(event, tokens)) === 'already-promoted') {
        logger.info({ msg: 'setSecret: past the deadline, but another invocation already promoted the pending token', secretId, accountSid });
        return;
      }
      const result = await promotePendingToken(tokens, twilio);
      logger.info({ msg: 'setSecret: pending token promoted at Twilio', secretId, accountSid, waitedMs, result });
    },

    async testSecret(event) {
      const { secretId, accountSid, tokens } = await stagedTokens(event);
      await verifyPromotion(tokens, twilio, timing);
      logger.info({ msg: 'testSecret: Twilio accepts the new token and refuses the old one', secretId, accountSid });
    },

    async finishSecret(event) {
      const { SecretId: secretId, ClientRequestToken: token } = event;
      const description = await describe(secretId);
      const currentVersion = Object.entries(description.VersionIdsToStages ?? {}).find(([, stages]) => stages.includes('AWSCURRENT'))?.[0];
      if (currentVersion !== token) {
        try {
          await send((m) =>
            new m.UpdateSecretVersionStageCommand({ SecretId: secretId, VersionStage: 'AWSCURRENT', MoveToVersionId: token, ...(currentVersion ? { RemoveFromVersionId: currentVersion } : {}) }),
          );
        } catch (error) {
          // A concurrent invocation moved the label first (RemoveFromVersionId no longer matches): fine if it moved it here.
          const now = await describe(secretId);
          if (!now.VersionIdsToStages?.[token]?.includes('AWSCURRENT')) throw error;
        }
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

  /**
   * setSecret after the deadline: the stored expiry of the old token would cut the grace. Undo the stage, never promote.
   * Unless the pending token is already the primary (a concurrent or earlier invocation promoted it, and Twilio
   * still accepted the old token when this one looked): then AWSPENDING must stay, or no webhook would pass.
   */
  async function abandon(event: SecretsManagerRotationEvent, tokens: { accountSid: string; current: string; pending: string }): Promise<'already-promoted'> {
    const { SecretId: secretId, ClientRequestToken: token } = event;
    await cleanUpSecondary(tokens.accountSid, tokens.current, twilio);
    // Deleting the secondary makes a pending token that was never promoted stop authenticating, whatever DELETE answered.
    if (await twilio.authenticates({ accountSid: tokens.accountSid, authToken: tokens.pending })) return 'already-promoted';
    await send((m) => new m.UpdateSecretVersionStageCommand({ SecretId: secretId, VersionStage: 'AWSPENDING', RemoveFromVersionId: token }));
    throw new RotationError(
      `setSecret ran after the promotion deadline recorded in version ${token} of ${secretId} (promoteBy): promoting now would cut the old token's grace, so the version was abandoned (AWSPENDING removed, Twilio's secondary deleted). Rotate again (aws secretsmanager rotate-secret --secret-id ${secretId}) or wait for the schedule`,
    );
  }

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
      logRotationFailure(logger, error, 'Secrets Manager retries the rotation', { step, secretId, versionId: token });
      throw error;
    }
  };
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

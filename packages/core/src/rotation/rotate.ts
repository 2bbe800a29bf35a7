/**
 * A whole rotation for stores whose latest value holds every valid token (Key Vault, Secret Manager,
 * SSM, Twilio Functions variables): one `rotateTwilioAuthToken` call runs the protocol end to end and
 * resumes whatever an earlier, interrupted call left.
 */
import type { Logger } from '../logger.js';
import {
  cleanUpSecondary,
  createPendingToken,
  inspectRotation,
  promotePendingToken,
  remainingWaitMs,
  verifyPromotion,
  waitForTokenCaches,
  type RotationPhase,
} from './protocol.js';
import { RotationInProgressError } from './rotation-error.js';
import { promotedSecret, withPendingToken, type TwilioTokenSecret } from './rotation-secret.js';
import type { TwilioAuthTokensApi } from './twilio-auth-tokens-api.js';

/** A store whose latest value is the whole rotation state. */
export interface RotationSecretStore {
  /** Shown in log lines. Never a token. */
  readonly description: string;
  /** Reads the latest value. */
  read(): Promise<TwilioTokenSecret>;
  /** Writes a new value; `phase` lets a store attach metadata (e.g. an expiry) per phase. */
  write(secret: TwilioTokenSecret, phase: 'pending' | 'committed'): Promise<void>;
  /**
   * Claims (or extends) the rotation of this secret for `owner` until `until` (epoch ms) through the
   * store's own conditional write (e.g. an etag). `false` when another owner's claim is still live.
   * Stores without one rely on the platform to run one rotation at a time.
   */
  claim?(owner: string, until: number): Promise<boolean>;
  /** Drops `owner`'s claim (best effort; an unreleased claim simply runs out). */
  release?(owner: string): Promise<void>;
}

/** When a rotation promotes and how long the old token stays accepted, shared by every rotation function's options. */
export interface RotationTimingOptions {
  /**
   * The validators' token cache TTL: the wait between storing the pending token and promoting it. It
   * must be at least the webhook's `cache.ttlMs`.
   * @default 300000 (5 minutes, `CachedTokenSource`'s default; `TWILIO_TOKEN_CACHE_TTL_SECONDS` where a rotation function reads the environment)
   */
  readonly cacheTtlMs?: number;
  /**
   * Margin for a store read in flight when the pending token was stored.
   * @default 5000 (5 s)
   */
  readonly settleMs?: number;
  /**
   * How long the old token stays accepted after commit, for requests signed just before the promotion. 0 after a leak.
   * @default 900000 (15 minutes; `TWILIO_PREVIOUS_TOKEN_GRACE_SECONDS` where a rotation function reads the environment)
   */
  readonly previousGraceMs?: number;
  /**
   * The clock, in epoch milliseconds (tests inject their own).
   * @default `Date.now`
   */
  readonly now?: () => number;
  /**
   * Waits `ms` milliseconds (tests inject their own).
   * @default a `setTimeout` promise
   */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** Options of `rotateTwilioAuthToken`: the store, Twilio, and the timing. */
export interface RotateOptions extends RotationTimingOptions {
  /** The secret store whose latest value holds every valid token. */
  readonly store: RotationSecretStore;
  /** Twilio's auth-token API, e.g. `officialTwilioAuthTokens()`. */
  readonly twilio: TwilioAuthTokensApi;
  /**
   * The triggering event's id: a redelivered event whose rotation has completed does nothing.
   * @default none: every call rotates (or resumes a rotation in progress)
   */
  readonly rotationId?: string;
  /**
   * How long a claim outlives a run that died holding it (stores with `claim`).
   * @default 60000 (60 s)
   */
  readonly leaseMs?: number;
  /**
   * Where progress is logged (`info` lines; never a token).
   * @default none: nothing is logged
   */
  readonly logger?: Logger;
}

/** What a `rotateTwilioAuthToken` call did. */
export interface RotationOutcome {
  /** `skipped`: the event's rotation had already completed (`rotationId`). */
  readonly status: 'rotated' | 'skipped';
  readonly accountSid: string;
  /** Where the rotation stood when this call started. */
  readonly startedAt: RotationPhase | 'already-done';
  /** How long this call waited for the validators' caches, in ms. */
  readonly waitedMs: number;
}

/** The default `cacheTtlMs`: 5 minutes, `CachedTokenSource`'s default TTL. */
export const DEFAULT_ROTATION_CACHE_TTL_MS = 5 * 60_000;
/** The default `settleMs`: 5 s. */
export const DEFAULT_ROTATION_SETTLE_MS = 5_000;
/** The default `previousGraceMs`: 15 minutes. */
export const DEFAULT_PREVIOUS_GRACE_MS = 15 * 60_000;

/**
 * The timing options with every default filled in.
 * @param options - the timing options that are set
 * @returns every timing option, the defaults where unset
 */
export function resolveTiming(options: RotationTimingOptions): Required<RotationTimingOptions> {
  return {
    cacheTtlMs: options.cacheTtlMs ?? DEFAULT_ROTATION_CACHE_TTL_MS,
    settleMs: options.settleMs ?? DEFAULT_ROTATION_SETTLE_MS,
    previousGraceMs: options.previousGraceMs ?? DEFAULT_PREVIOUS_GRACE_MS,
    now: options.now ?? Date.now,
    sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
  };
}

/**
 * Only the timing fields that are set, so spreading them over defaults (e.g. from the environment) keeps those defaults.
 * @param options - any options that extend `RotationTimingOptions`
 * @returns the timing fields that are not `undefined`
 * @example
 * ```ts
 * import { resolveTiming, rotationTimingFromEnv, timingOptions, type RotationTimingOptions } from '@twiml-guard/core/rotation';
 *
 * // A rotation function's timing: its options where set, else the environment, else the defaults.
 * export function rotationTiming(options: RotationTimingOptions) {
 *   return resolveTiming({ ...rotationTimingFromEnv(), ...timingOptions(options) });
 * }
 * ```
 */
export function timingOptions(options: RotationTimingOptions): RotationTimingOptions {
  return Object.fromEntries(
    (['cacheTtlMs', 'settleMs', 'previousGraceMs', 'now', 'sleep'] as const)
      .filter((key) => options[key] !== undefined)
      .map((key) => [key, options[key]]),
  ) as RotationTimingOptions;
}

/**
 * Rotates the Twilio auth token kept in `store`, end to end: stage a secondary at Twilio and store it
 * as pending, wait until every validator's cache has seen it, promote, verify that Twilio accepts the
 * new token and refuses the old one, store the new token as current (the old one previous for the
 * grace), delete any leftover secondary. A call after an interrupted one resumes where it stopped.
 * Stores with `claim` run one rotation at a time; a second concurrent call throws `RotationInProgressError`.
 * @param options - the store, Twilio's API, the timing, the triggering event's id and a logger
 * @returns what the call did and where the rotation stood when it started
 * @throws `RotationError` when a person must look (Twilio refuses the stored tokens); other errors are worth a retry
 * @example
 * ```ts
 * import { officialTwilioAuthTokens, rotateTwilioAuthToken } from '@twiml-guard/core/rotation';
 *
 * const outcome = await rotateTwilioAuthToken({ store: myStore, twilio: officialTwilioAuthTokens(), previousGraceMs: 0 });
 * ```
 */
export async function rotateTwilioAuthToken(options: RotateOptions): Promise<RotationOutcome> {
  const { store } = options;
  if (!store.claim) return runRotation(options, async () => undefined);
  const timing = resolveTiming(options);
  const leaseMs = options.leaseMs ?? 60_000;
  const owner = globalThis.crypto.randomUUID();
  // Claimed before anything else: two runs that both read "idle" would each replace Twilio's secondary.
  if (!(await store.claim(owner, timing.now() + leaseMs))) {
    throw new RotationInProgressError(`another run holds the rotation of ${store.description}; this one retries later`);
  }
  const extend = async (busyForMs: number) => {
    if (!(await store.claim?.(owner, timing.now() + busyForMs + leaseMs))) {
      throw new RotationInProgressError(
        `this run lost its claim on the rotation of ${store.description} (it stalled longer than the lease); another run continues`,
      );
    }
  };
  try {
    return await runRotation(options, extend);
  } finally {
    await store.release?.(owner).catch(() => undefined);
  }
}

async function runRotation(options: RotateOptions, extend: (busyForMs: number) => Promise<void>): Promise<RotationOutcome> {
  const timing = resolveTiming(options);
  const { store, twilio, logger } = options;
  let secret = await store.read();
  const { accountSid } = secret;
  const log = (msg: string, fields: Record<string, unknown> = {}) => logger?.info({ msg, accountSid, store: store.description, ...fields });

  if (options.rotationId !== undefined && secret.rotationId === options.rotationId && secret.pendingAuthToken === undefined) {
    log('rotation already completed for this event; nothing to do', { rotationId: options.rotationId });
    return { status: 'skipped', accountSid, startedAt: 'already-done', waitedMs: 0 };
  }

  const startedAt = await inspectRotation({ accountSid, current: secret.authToken, pending: secret.pendingAuthToken }, twilio);
  log('rotation started', { phase: startedAt });
  let phase = startedAt;
  let waitedMs = 0;

  if (phase === 'idle' || phase === 'pending-stale') {
    const pending = await createPendingToken({ accountSid, current: secret.authToken }, twilio);
    // Twilio's answers may have outlived the claim, and another run may have rotated meanwhile: writing now
    // would put back tokens Twilio no longer knows. So: still ours, and the store still where we staged from.
    await extend(0);
    const now = await store.read();
    if (now.authToken !== secret.authToken || now.pendingAuthToken !== secret.pendingAuthToken) {
      throw new RotationInProgressError(`another run changed ${store.description} while this one staged; it continues the rotation`);
    }
    secret = withPendingToken(secret, pending, timing.now(), options.rotationId);
    await store.write(secret, 'pending');
    log('pending token stored; waiting for token caches', { waitMs: timing.cacheTtlMs + timing.settleMs });
    phase = 'pending-staged';
  }

  const pending = secret.pendingAuthToken as string;
  const tokens = { accountSid, current: secret.authToken, pending };
  if (phase === 'pending-staged') {
    const storedAt = secret.pendingAuthTokenStoredAt ? Date.parse(secret.pendingAuthTokenStoredAt) : undefined;
    await extend(remainingWaitMs(storedAt, timing));
    waitedMs = await waitForTokenCaches(storedAt, timing);
    const promoted = await promotePendingToken(tokens, twilio);
    log('pending token promoted', { result: promoted });
  }

  await verifyPromotion(tokens, twilio, timing);
  await extend(0);
  await store.write(promotedSecret(secret, pending, timing.now(), timing.previousGraceMs), 'committed');
  log('rotation committed');
  await cleanUpSecondary(accountSid, pending, twilio);
  return { status: 'rotated', accountSid, startedAt, waitedMs };
}

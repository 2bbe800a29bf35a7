/**
 * Rotation for webhooks on Twilio Functions that read the token from environment variables
 * (`contextTokenSource`: `TWILIO_AUTH_TOKEN` plus `TWILIO_AUTH_TOKEN_PENDING`, comma-separated). The
 * variables are the store, and every change to them is a separate API call, so a run can die between
 * any two of them. `TWILIO_AUTH_TOKEN_ROTATION` is therefore a write-ahead record: it names the tokens
 * of the phase BEFORE the visible variables change, and a rerun re-applies the recorded phase and goes on.
 *
 *   pending    record {pending: new, current: old}      then  PENDING = new
 *   promote    after `cacheTtlMs` (default 60 s: Twilio's documented propagation time for Functions)
 *   committed  record {current: new, previous: old, …}   then  PENDING = new,old  then  TOKEN = new
 *   grace      wait until the recorded previousExpiresAt
 *   done       PENDING removed                            then  record {phase: done}
 *
 * Each write keeps Twilio's primary among the tokens the variables hold, in whatever order Functions
 * pick them up, and a rerun after a crash at any point promotes nothing new: Twilio's primary changes
 * once per requested rotation. One run at a time: `TWILIO_AUTH_TOKEN_ROTATION_LOCK` is created only if
 * absent (Twilio refuses a second variable with the same key), so concurrent runs wait; a run that
 * waited for another's rotation does not start one of its own.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Logger } from '@twiml-guard/core';
import {
  createPendingToken,
  inspectRotation,
  officialTwilioAuthTokens,
  promotePendingToken,
  remainingWaitMs,
  resolveTiming,
  RotationError,
  timingOptions,
  verifyPromotion,
  type RotationOutcome,
  type RotationTimingOptions,
  type TwilioAuthTokensApi,
  type TwilioCredentials,
  type TwilioTokenSecret,
  parseRotationSecret,
} from '@twiml-guard/core/rotation';
import { officialServerlessVariables, type ServerlessVariablesApi, type ServerlessVariablesOptions } from './serverless-variables.js';

/** The environment variable holding the current auth token (what `contextTokenSource` reads first). */
export const CURRENT_VARIABLE = 'TWILIO_AUTH_TOKEN';
/** The environment variable holding the other accepted tokens during a rotation, comma-separated (pending, then previous). */
export const PENDING_VARIABLE = 'TWILIO_AUTH_TOKEN_PENDING';
/** The environment variable holding the rotation's write-ahead record (JSON): a rerun resumes from it. */
export const ROTATION_STATE_VARIABLE = 'TWILIO_AUTH_TOKEN_ROTATION';
export const ROTATION_LOCK_VARIABLE = 'TWILIO_AUTH_TOKEN_ROTATION_LOCK';

/** The write-ahead record in `TWILIO_AUTH_TOKEN_ROTATION`. */
export interface RotationRecord {
  readonly phase: 'pending' | 'committed' | 'done';
  /** ISO time: pending → when PENDING was written (absent: not yet); committed → when the promotion was verified. */
  readonly at?: string;
  /** The primary: before promotion the old token, from `committed` on the new one. */
  readonly current?: string;
  readonly pending?: string;
  readonly previous?: string;
  readonly previousExpiresAt?: string;
  /** committed: the run did not wait for the grace (`waitForGrace` off), so its request is complete. */
  readonly requestComplete?: boolean;
  /** committed/done: a fingerprint (not the token) of the token this rotation replaced. A run asked to rotate that token again has nothing to do. */
  readonly rotatedFrom?: string;
}

interface LockValue {
  readonly owner: string;
  /** Epoch ms after which another run may take the lock over (the holder died). */
  readonly until: number;
}

/** Options of `rotateTwilioFunctionsToken`: the account, the Functions environment whose variables hold the token, the timing. */
export interface TwilioFunctionsRotationOptions extends RotationTimingOptions, ServerlessVariablesOptions {
  /** The account whose auth token is rotated (`AC…`). */
  readonly accountSid: string;
  /** The account's current auth token, used when the environment has no TWILIO_AUTH_TOKEN variable yet. */
  readonly authToken: string;
  /**
   * The wait between storing the pending token and promoting it: Functions read variables on each
   * execution, so only Twilio's propagation of a variable change needs waiting out.
   * @default 60000 (60 s, Twilio's documented propagation time for Functions)
   */
  readonly cacheTtlMs?: number;
  /**
   * How long the old token stays accepted after the promotion. 0 after a leak.
   * @default 300000 (5 minutes)
   */
  readonly previousGraceMs?: number;
  /**
   * Twilio's token API.
   * @default `officialTwilioAuthTokens()`: the official `twilio` client, with `clientOptions` and `suppressEmailNotification`
   */
  readonly twilio?: TwilioAuthTokensApi;
  /**
   * The environment's variables.
   * @default `officialServerlessVariables(options)`: the Serverless API through the official `twilio` client
   */
  readonly variables?: ServerlessVariablesApi;
  /**
   * Twilio e-mails the account's owners on every token change unless this is true.
   * @default false
   */
  readonly suppressEmailNotification?: boolean;
  /**
   * After a rotation, wait out `previousGraceMs` and then remove the old token (what `finishGrace` does).
   * @default false: the call returns after the commit; run `finishGrace` once the grace is over
   */
  readonly waitForGrace?: boolean;
  /**
   * How long the lock outlives its holder's next planned action (a run killed meanwhile blocks others this long).
   * @default 60000 (60 s)
   */
  readonly leaseMs?: number;
  /**
   * Where progress is logged (`info` lines; never a token).
   * @default none: nothing is logged
   */
  readonly logger?: Logger;
}

const DEFAULT_LEASE_MS = 60_000;

export function parseRecord(text: string | undefined): RotationRecord | undefined {
  try {
    const record = JSON.parse(text ?? 'null') as RotationRecord | null;
    return record && typeof record === 'object' && typeof record.phase === 'string' ? record : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The rotation state the variables hold, as the secret the core protocol reads (the write-ahead
 * record's tokens win over the variables').
 * @param variables - the environment's variables, key → value
 * @param accountSid - the account
 * @param fallbackToken - the current token when the environment has no `TWILIO_AUTH_TOKEN` variable yet
 * @returns the secret: current token, and the pending or previous one while a rotation is in progress or in its grace
 */
export function variablesToSecret(variables: Map<string, string>, accountSid: string, fallbackToken: string): TwilioTokenSecret {
  const record = parseRecord(variables.get(ROTATION_STATE_VARIABLE));
  const visible = variables.get(CURRENT_VARIABLE)?.trim() || fallbackToken;
  const others = (variables.get(PENDING_VARIABLE) ?? '')
    .split(',')
    .map((token) => token.trim())
    .filter((token) => token !== '' && token !== visible);
  const current = record?.current ?? visible;
  const secret = parseRotationSecret(JSON.stringify({ accountSid, authToken: current }), accountSid);
  if (record?.phase === 'pending') {
    const pending = record.pending ?? others[0];
    return pending ? { ...secret, pendingAuthToken: pending, pendingAuthTokenStoredAt: record.at } : secret;
  }
  if (record?.phase === 'committed') {
    const previous = record.previous ?? others[0];
    return previous && record.previousExpiresAt
      ? { ...secret, previousAuthToken: previous, previousAuthTokenExpiresAt: record.previousExpiresAt }
      : secret;
  }
  return secret;
}

/**
 * Rotates the auth token of webhooks on Twilio Functions that read it from the environment's
 * variables (`TWILIO_AUTH_TOKEN` plus `TWILIO_AUTH_TOKEN_PENDING`): stage a secondary, wait for
 * Functions to see it, promote, verify, commit, and (with `waitForGrace`) remove the old token after
 * the grace. A rerun after a crash resumes from the write-ahead record; concurrent runs wait for a
 * lock variable.
 * @param options - the account and its current token, the Service and Environment SIDs, an API key, the timing
 * @returns what the call did and where the rotation stood when it started
 * @example
 * ```ts
 * import { rotateTwilioFunctionsToken } from '@twiml-guard/twilio-functions/rotation';
 *
 * await rotateTwilioFunctionsToken({
 *   accountSid: process.env.TWILIO_ACCOUNT_SID!,
 *   authToken: process.env.TWILIO_AUTH_TOKEN!,
 *   serviceSid: 'ZS…',
 *   environmentSid: 'ZE…',
 *   waitForGrace: true,
 * });
 * ```
 */
export async function rotateTwilioFunctionsToken(options: TwilioFunctionsRotationOptions): Promise<RotationOutcome> {
  const twilio =
    options.twilio ??
    officialTwilioAuthTokens({
      ...(options.clientOptions ? { clientOptions: options.clientOptions } : {}),
      suppressEmailNotification: options.suppressEmailNotification ?? false,
    });
  const variables = options.variables ?? officialServerlessVariables(options);
  const timing = resolveTiming({
    // Functions read variables on each execution; only Twilio's propagation needs waiting out.
    cacheTtlMs: 60_000,
    previousGraceMs: 5 * 60_000,
    ...timingOptions(options),
  });
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const { accountSid, logger } = options;
  const log = (msg: string, fields: Record<string, unknown> = {}) =>
    logger?.info({ msg, accountSid, service: options.serviceSid, ...fields });
  // REST calls authenticate with whichever token is primary at that point of the rotation.
  let primary = options.authToken;
  const credentials = (): TwilioCredentials => ({ accountSid, authToken: primary });
  const owner = randomUUID();

  // ---- the lock: created only if absent; taken over only once its holder's lease has run out ----
  let lockValue: string | undefined;
  const holdLock = async (busyUntil: number): Promise<void> => {
    const value = JSON.stringify({ owner, until: busyUntil + leaseMs } satisfies LockValue);
    if (lockValue !== undefined) {
      const now = await variables.read(credentials());
      if (now.get(ROTATION_LOCK_VARIABLE) !== lockValue)
        throw new RotationError('another run took the rotation lock over (this run stalled longer than its lease); stopping');
      await variables.write(credentials(), ROTATION_LOCK_VARIABLE, value);
    }
    lockValue = value;
  };
  /** Waits for the lock; `true` when another run held it meanwhile (its rotation serves this request). */
  const acquireLock = async (): Promise<boolean> => {
    let waited = false;
    for (;;) {
      const value = JSON.stringify({ owner, until: timing.now() + leaseMs } satisfies LockValue);
      if (await variables.create(credentials(), ROTATION_LOCK_VARIABLE, value)) {
        lockValue = value;
        return waited;
      }
      const held = (await variables.read(credentials())).get(ROTATION_LOCK_VARIABLE);
      if (held === undefined) continue;
      const until = parseLock(held)?.until ?? 0;
      if (until <= timing.now()) {
        // Its holder died: remove exactly that lock (by its SID) and race for a new one.
        log('rotation lock expired; taking it over');
        await variables.removeIf(credentials(), ROTATION_LOCK_VARIABLE, held);
        continue;
      }
      if (!waited) log('another rotation holds the lock; waiting for it', { lockedForMs: until - timing.now() });
      waited = true;
      await timing.sleep(Math.min(Math.max(until - timing.now(), 50), leaseMs));
    }
  };
  const releaseLock = async (): Promise<void> => {
    if (lockValue === undefined) return;
    // After a failed promote call the working token is not known for sure: try each this run knows.
    for (const token of new Set([primary, ...knownTokens, options.authToken])) {
      try {
        await variables.removeIf({ accountSid, authToken: token }, ROTATION_LOCK_VARIABLE, lockValue);
        break;
      } catch {
        // the next candidate
      }
    }
    lockValue = undefined;
  };
  const knownTokens: string[] = [];

  const readRecord = async (): Promise<{ vars: Map<string, string>; record: RotationRecord | undefined }> => {
    const vars = await variables.read(credentials());
    return { vars, record: parseRecord(vars.get(ROTATION_STATE_VARIABLE)) };
  };
  const writeRecord = (record: RotationRecord) => variables.write(credentials(), ROTATION_STATE_VARIABLE, JSON.stringify(record));
  const sleepUntil = async (at: number): Promise<number> => {
    const ms = Math.max(0, at - timing.now());
    await holdLock(timing.now() + ms);
    if (ms > 0) {
      log('waiting', { waitMs: ms });
      await timing.sleep(ms);
    }
    return ms;
  };

  await acquireLock();
  try {
    let { vars, record } = await readRecord();
    const current = record?.current ?? vars.get(CURRENT_VARIABLE)?.trim() ?? options.authToken;
    const requestDone =
      record === undefined || record.phase === 'done' || (record.phase === 'committed' && record.requestComplete === true);
    // The request is "rotate away from options.authToken": a rerun after a crash, or a concurrent run, finds it done.
    if (requestDone && record?.rotatedFrom !== undefined && record.rotatedFrom === fingerprint(options.authToken)) {
      log('the token this run was asked to rotate has already been rotated; nothing to do');
      return { status: 'skipped', accountSid, startedAt: 'already-done', waitedMs: 0 };
    }
    // The token that authenticates the REST calls: the recorded primary, or after a promotion the pending one.
    primary = current;
    let startedAt: RotationOutcome['startedAt'];
    let waitedMs = 0;

    let justCommitted = false;
    if (requestDone || record?.phase === 'pending') {
      const pendingRecorded = record?.phase === 'pending' ? (record.pending ?? firstOther(vars, current)) : undefined;
      if (pendingRecorded !== undefined) knownTokens.push(pendingRecorded);
      let phase = await inspectRotation({ accountSid, current, pending: pendingRecorded }, twilio);
      startedAt = phase;
      if (phase === 'promoted' && pendingRecorded !== undefined) primary = pendingRecorded;
      log('rotation started', { phase, resumedFrom: record?.phase ?? 'none' });
      let pending = pendingRecorded;
      let storedAt = record?.phase === 'pending' && record.at ? Date.parse(record.at) : Number.NaN;
      if (phase === 'idle' || phase === 'pending-stale' || pending === undefined) {
        await holdLock(timing.now());
        pending = await createPendingToken({ accountSid, current }, twilio);
        knownTokens.push(pending);
        // Twilio's answers may have outlived the lease and another run taken the lock over: stop before writing.
        await holdLock(timing.now());
        // Record first (without a time: PENDING is not written yet): a run killed now finds the new secondary in the record.
        await writeRecord({ phase: 'pending', current, pending });
        storedAt = Number.NaN;
        phase = 'pending-staged';
      }
      if (phase === 'pending-staged') {
        // Re-apply the recorded phase: PENDING may not have been written before a crash.
        if (vars.get(PENDING_VARIABLE) !== pending || Number.isNaN(storedAt)) {
          await variables.write(credentials(), PENDING_VARIABLE, pending);
          storedAt = timing.now();
          await writeRecord({ phase: 'pending', at: new Date(storedAt).toISOString(), current, pending });
          log('pending token stored; waiting for Functions to pick it up', { waitMs: timing.cacheTtlMs + timing.settleMs });
        }
        waitedMs = await sleepUntil(timing.now() + remainingWaitMs(storedAt, timing));
        log('pending token promoted', { result: await promotePendingToken({ accountSid, current, pending }, twilio) });
      }
      await verifyPromotion({ accountSid, current, pending }, twilio, timing);
      primary = pending;
      await holdLock(timing.now());
      const promotedAt = timing.now();
      record = {
        phase: 'committed',
        at: new Date(promotedAt).toISOString(),
        current: pending,
        rotatedFrom: fingerprint(current),
        ...(timing.previousGraceMs > 0
          ? { previous: current, previousExpiresAt: new Date(promotedAt + timing.previousGraceMs).toISOString() }
          : {}),
      };
      await writeRecord(record);
      justCommitted = true;
      vars = (await readRecord()).vars;
    } else {
      startedAt = 'promoted';
      primary = record?.current ?? current;
      log('rotation resumed after the promotion', { phase: 'committed' });
    }

    const committed = record as RotationRecord;
    await applyCommitted(committed, vars);
    log('rotation committed');
    if (options.waitForGrace) {
      const expiresAt = committed.previousExpiresAt ? Date.parse(committed.previousExpiresAt) : timing.now();
      // Just committed: exactly the grace; resumed: what is left of it.
      await sleepUntil(justCommitted ? timing.now() + timing.previousGraceMs : expiresAt);
      await finishCommitted(committed);
    } else if (!committed.requestComplete) {
      await writeRecord({ ...committed, requestComplete: true });
    }
    return { status: 'rotated', accountSid, startedAt, waitedMs };
  } finally {
    await releaseLock().catch(() => undefined);
  }

  /** PENDING = new,old then TOKEN = new (each write keeps both accepted); before the grace ends only. */
  async function applyCommitted(committed: RotationRecord, vars: Map<string, string>): Promise<void> {
    const expired = committed.previousExpiresAt === undefined || Date.parse(committed.previousExpiresAt) <= timing.now();
    const pendingValue = [committed.current, expired ? undefined : committed.previous].filter(Boolean).join(',');
    if (vars.get(PENDING_VARIABLE) !== pendingValue && !(expired && vars.get(PENDING_VARIABLE) === undefined)) {
      await variables.write(credentials(), PENDING_VARIABLE, pendingValue);
    }
    if (committed.current !== undefined) await variables.write(credentials(), CURRENT_VARIABLE, committed.current);
  }

  async function finishCommitted(committed: RotationRecord): Promise<void> {
    await variables.write(credentials(), PENDING_VARIABLE, '');
    await writeRecord({
      phase: 'done',
      at: new Date(timing.now()).toISOString(),
      ...(committed.current ? { current: committed.current } : {}),
      ...(committed.rotatedFrom ? { rotatedFrom: committed.rotatedFrom } : {}),
    });
    log('grace period over; the old token is no longer accepted');
  }
}

/**
 * Removes the previous token from the variables once its grace period is over (after a rotation run without `waitForGrace`).
 * @param options - the account and its current token, the Service and Environment SIDs, an API key or client options
 * @returns whether it removed it (`false` while a rotation is pending or the grace is not over yet)
 * @example
 * ```ts
 * import { finishGrace } from '@twiml-guard/twilio-functions/rotation';
 *
 * await finishGrace({
 *   accountSid: process.env.TWILIO_ACCOUNT_SID!,
 *   authToken: process.env.TWILIO_AUTH_TOKEN!,
 *   serviceSid: 'ZS…',
 *   environmentSid: 'ZE…',
 * });
 * ```
 */
export async function finishGrace(
  options: Pick<
    TwilioFunctionsRotationOptions,
    'accountSid' | 'authToken' | 'serviceSid' | 'environmentSid' | 'clientOptions' | 'apiKey' | 'variables'
  > & { now?: () => number },
): Promise<boolean> {
  const variables = options.variables ?? officialServerlessVariables(options);
  const credentials = { accountSid: options.accountSid, authToken: options.authToken };
  const current = await variables.read(credentials);
  const record = parseRecord(current.get(ROTATION_STATE_VARIABLE));
  if (record?.phase === 'pending') return false;
  const expiresAt = record?.previousExpiresAt ? Date.parse(record.previousExpiresAt) : Number.NaN;
  if (record?.previous !== undefined && !(expiresAt <= (options.now ?? Date.now)())) return false;
  if (!current.has(PENDING_VARIABLE)) return false;
  await variables.write(credentials, PENDING_VARIABLE, '');
  if (record) {
    const done: RotationRecord = {
      phase: 'done',
      at: new Date((options.now ?? Date.now)()).toISOString(),
      ...(record.current ? { current: record.current } : {}),
      ...(record.rotatedFrom ? { rotatedFrom: record.rotatedFrom } : {}),
    };
    await variables.write(credentials, ROTATION_STATE_VARIABLE, JSON.stringify(done));
  }
  return true;
}

/** Identifies a token in the record without storing it: 16 hex characters of its SHA-256. */
function fingerprint(token: string): string {
  return createHash('sha256').update(token).digest('hex').slice(0, 16);
}

function firstOther(vars: Map<string, string>, current: string): string | undefined {
  return (vars.get(PENDING_VARIABLE) ?? '')
    .split(',')
    .map((token) => token.trim())
    .find((token) => token !== '' && token !== current);
}

function parseLock(text: string): LockValue | undefined {
  try {
    const value = JSON.parse(text) as LockValue;
    return typeof value?.until === 'number' ? value : undefined;
  } catch {
    return undefined;
  }
}

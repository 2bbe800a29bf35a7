/**
 * The rotation protocol, platform-neutral. Twilio signs with exactly one
 * token, the primary, and `Promote` switches it instantly; validators accept current + pending
 * (+ a recently previous) token. So, to lose no webhook:
 *
 *   1. stage    create a secondary at Twilio and store it as pending;
 *   2. wait     until every validator's token cache has re-read the store (its TTL);
 *   3. promote  the pending token now signs;
 *   4. verify   Twilio accepts the new token and refuses the old one;
 *   5. commit   the store names the new token current, the old one previous for a grace period;
 *   6. clean up delete any secondary left over.
 *
 * Each step works out from Twilio itself where the rotation stands, so a rerun after a crash at any
 * point (between promote and commit included) finishes the same rotation instead of starting a new one.
 */
import { RotationError } from './rotation-error.js';
import type { TwilioAuthTokensApi } from './twilio-auth-tokens-api.js';

/** Where a rotation stands, read from what Twilio accepts. */
export type RotationPhase =
  /** No pending token: nothing in progress. */
  | 'idle'
  /** A pending token is stored but Twilio no longer knows it (deleted or replaced): stage again. */
  | 'pending-stale'
  /** The pending token is Twilio's secondary: wait, then promote. */
  | 'pending-staged'
  /** Twilio already refuses the stored current token and accepts the pending one: verify and commit. */
  | 'promoted';

/** The tokens a store holds for one account, as the protocol's steps read them. */
export interface StoredTokens {
  readonly accountSid: string;
  /** The token the store names current (Twilio's primary until a promotion). */
  readonly current: string;
  /** The token staged for the next promotion, if any. */
  readonly pending?: string | undefined;
}

/**
 * Where a rotation stands, asked of Twilio: which of the stored tokens it accepts. A rerun after a
 * crash starts from here, so it finishes the same rotation instead of starting a new one.
 * @param tokens - the stored current and pending tokens
 * @param twilio - Twilio's auth-token API
 * @returns the phase (`idle`, `pending-stale`, `pending-staged` or `promoted`)
 * @throws `RotationError` when Twilio refuses every stored token: a person must put the current token into the secret
 * @example
 * ```ts
 * import { inspectRotation, officialTwilioAuthTokens } from '@twiml-guard/core/rotation';
 *
 * const secret = await myStore.read();
 * const tokens = { accountSid: secret.accountSid, current: secret.authToken, pending: secret.pendingAuthToken };
 * const phase = await inspectRotation(tokens, officialTwilioAuthTokens());
 * ```
 */
export async function inspectRotation(tokens: StoredTokens, twilio: TwilioAuthTokensApi): Promise<RotationPhase> {
  const { accountSid } = tokens;
  const currentWorks = await twilio.authenticates({ accountSid, authToken: tokens.current });
  if (tokens.pending === undefined || tokens.pending === tokens.current) {
    if (currentWorks) return 'idle';
    throw new RotationError(
      `Twilio refuses the stored current auth token of ${accountSid} and no pending token is stored: put the account's current auth token into the secret by hand`,
    );
  }
  // Twilio knows at most two tokens, primary and secondary, and only promotion deletes a primary.
  const pendingWorks = await twilio.authenticates({ accountSid, authToken: tokens.pending });
  if (currentWorks) return pendingWorks ? 'pending-staged' : 'pending-stale';
  if (pendingWorks) return 'promoted';
  throw new RotationError(
    `Twilio refuses both the current and the pending auth token stored for ${accountSid}: put the account's current auth token into the secret by hand`,
  );
}

/**
 * Creates the next token as Twilio's secondary, first deleting any secondary an earlier attempt left behind.
 * @param tokens - the account and its current (primary) token, which authenticates the calls
 * @param twilio - Twilio's auth-token API
 * @returns the new secondary token, to store as pending
 */
export async function createPendingToken(tokens: StoredTokens, twilio: TwilioAuthTokensApi): Promise<string> {
  const credentials = { accountSid: tokens.accountSid, authToken: tokens.current };
  await twilio.deleteSecondary(credentials);
  return twilio.createSecondary(credentials);
}

/** How long the protocol waits between storing a pending token and promoting it, and the clock it waits on. */
export interface WaitOptions {
  /** The validators' token cache TTL (`CachedTokenSource` `ttlMs`, default 5 minutes). */
  readonly cacheTtlMs: number;
  /** Extra time for a store read that was in flight when the pending token was stored. */
  readonly settleMs: number;
  /** The clock, epoch ms. */
  readonly now: () => number;
  /** Waits `ms` milliseconds. */
  readonly sleep: (ms: number) => Promise<void>;
}

/**
 * How long until every validator's cache has re-read the store after the pending token was stored.
 * @param storedAt - when the pending token was stored, epoch ms; unknown, invalid or in the future counts as now
 * @param options - the cache TTL, the settle margin and the clock
 * @returns the milliseconds left to wait, 0 when the wait is over
 */
export function remainingWaitMs(storedAt: number | undefined, options: Pick<WaitOptions, 'cacheTtlMs' | 'settleMs' | 'now'>): number {
  const now = options.now();
  const from = storedAt !== undefined && Number.isFinite(storedAt) && storedAt <= now ? storedAt : now;
  return Math.max(0, from + options.cacheTtlMs + options.settleMs - now);
}

/**
 * Waits until every validator's cache has re-read the store after the pending token was stored, so
 * that promoting it loses no webhook.
 * @param storedAt - when the pending token was stored, epoch ms (see `remainingWaitMs`)
 * @param options - the cache TTL, the settle margin, the clock and how to sleep
 * @returns the milliseconds waited
 */
export async function waitForTokenCaches(storedAt: number | undefined, options: WaitOptions): Promise<number> {
  const ms = remainingWaitMs(storedAt, options);
  if (ms > 0) await options.sleep(ms);
  return ms;
}

/**
 * Promotes the pending token. If Twilio answers with an error, the state is read again: a promotion
 * that went through before the answer was lost (or by an earlier attempt) counts as done.
 * @param tokens - the current (still primary) and the pending token
 * @param twilio - Twilio's auth-token API
 * @returns `'promoted'`, or `'already-promoted'` when Twilio had promoted it before this call
 * @throws when the pending token is not Twilio's secondary (the rotation must stage it again) or the promotion fails
 */
export async function promotePendingToken(
  tokens: StoredTokens & { readonly pending: string },
  twilio: TwilioAuthTokensApi,
): Promise<'promoted' | 'already-promoted'> {
  const phase = await inspectRotation(tokens, twilio);
  if (phase === 'promoted') return 'already-promoted';
  // Not a RotationError: a retry of the whole rotation stages a new secondary (AWS's setSecret reports its own case).
  if (phase !== 'pending-staged')
    throw new Error(
      `the pending auth token of ${tokens.accountSid} is not Twilio's secondary (${phase}); the rotation must stage it again`,
    );
  try {
    await twilio.promote({ accountSid: tokens.accountSid, authToken: tokens.current });
    return 'promoted';
  } catch (error) {
    if ((await inspectRotation(tokens, twilio).catch(() => undefined)) === 'promoted') return 'promoted';
    throw error;
  }
}

/**
 * After promotion Twilio must accept the new token and refuse the old one; otherwise the store is not
 * changed. Twilio does not document whether the old token stops authenticating at once after Promote,
 * so an old token still accepted is asked about again (every second, for up to `patienceMs`, default 30 s)
 * before the step fails (and is retried by the platform).
 * @param tokens - the old (`current`) and the newly promoted (`pending`) token
 * @param twilio - Twilio's auth-token API
 * @param wait - the clock, how to sleep and the patience (default 30 s) for an old token still accepted
 * @returns once Twilio accepts the new token and refuses the old one
 * @throws `RotationError` when Twilio refuses the new token; an `Error` (retryable) when it still accepts the old one
 */
export async function verifyPromotion(
  tokens: StoredTokens & { readonly pending: string },
  twilio: TwilioAuthTokensApi,
  wait: { readonly sleep?: (ms: number) => Promise<void>; readonly now?: () => number; readonly patienceMs?: number } = {},
): Promise<void> {
  const { accountSid } = tokens;
  if (!(await twilio.authenticates({ accountSid, authToken: tokens.pending }))) {
    throw new RotationError(`Twilio refuses the newly promoted auth token of ${accountSid}`);
  }
  const now = wait.now ?? Date.now;
  const sleep = wait.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const giveUpAt = now() + (wait.patienceMs ?? 30_000);
  while (await twilio.authenticates({ accountSid, authToken: tokens.current })) {
    // Not a RotationError: a retry (the platform's redelivery) finishes the rotation once Twilio refuses the old token.
    if (now() >= giveUpAt)
      throw new Error(
        `Twilio still accepts the old auth token of ${accountSid}: the promotion has not happened (yet); a retry checks again`,
      );
    await sleep(Math.min(1_000, Math.max(1, giveUpAt - now())));
  }
}

/**
 * Deletes a secondary left at Twilio (none is expected after a promotion).
 * @param accountSid - the account
 * @param primary - its primary token, which authenticates the call
 * @param twilio - Twilio's auth-token API
 * @returns whether there was a secondary to delete
 */
export async function cleanUpSecondary(accountSid: string, primary: string, twilio: TwilioAuthTokensApi): Promise<boolean> {
  return twilio.deleteSecondary({ accountSid, authToken: primary });
}

/**
 * Rotation for webhooks on Twilio Functions that read the token from environment variables
 * (`contextTokenSource`: `TWILIO_AUTH_TOKEN` plus `TWILIO_AUTH_TOKEN_PENDING`, comma-separated). The
 * variables are the store; the core protocol runs unchanged:
 *
 *   pending    TWILIO_AUTH_TOKEN_PENDING = new                      (current still TWILIO_AUTH_TOKEN)
 *   promote    after `cacheTtlMs` (default 60 s: Twilio's documented propagation time for Functions)
 *   commit     TWILIO_AUTH_TOKEN_PENDING = new,old  then  TWILIO_AUTH_TOKEN = new
 *   afterwards TWILIO_AUTH_TOKEN_PENDING removed once the grace period is over (`finishGrace`)
 *
 * Each write keeps both tokens valid at every moment, in whatever order Functions pick them up.
 * `TWILIO_AUTH_TOKEN_ROTATION` records the phase so a rerun after a crash resumes.
 * With "Add my Twilio Credentials" (`context.AUTH_TOKEN`), Twilio updates AUTH_TOKEN itself after the
 * promotion; the pending/previous variable covers the minute that takes.
 */
import {
  parseRotationSecret,
  rotateTwilioAuthToken,
  timingOptions,
  type Logger,
  type RotationOutcome,
  type RotationSecretStore,
  type RotationTimingOptions,
  type TwilioAuthTokensApi,
  type TwilioTokenSecret,
} from '@twiml-guard/core';
import { officialServerlessVariables, type ServerlessVariablesApi, type ServerlessVariablesOptions } from './serverless-variables.js';
import { officialTwilioAuthTokens } from './twilio-client.js';

export const CURRENT_VARIABLE = 'TWILIO_AUTH_TOKEN';
export const PENDING_VARIABLE = 'TWILIO_AUTH_TOKEN_PENDING';
export const ROTATION_STATE_VARIABLE = 'TWILIO_AUTH_TOKEN_ROTATION';

interface PhaseRecord {
  readonly phase: 'pending' | 'committed';
  readonly at: string;
  readonly previousExpiresAt?: string;
}

export interface TwilioFunctionsRotationOptions extends RotationTimingOptions, ServerlessVariablesOptions {
  readonly accountSid: string;
  /** The account's current auth token, used when the environment has no TWILIO_AUTH_TOKEN variable yet. */
  readonly authToken: string;
  readonly twilio?: TwilioAuthTokensApi;
  readonly variables?: ServerlessVariablesApi;
  readonly suppressEmailNotification?: boolean;
  /** After a rotation, wait out `previousGraceMs` and then remove the old token (what `finishGrace` does). */
  readonly waitForGrace?: boolean;
  readonly logger?: Logger;
}

/** Splits the variables into the rotation state the core works on. */
export function variablesToSecret(variables: Map<string, string>, accountSid: string, fallbackToken: string): TwilioTokenSecret {
  const current = variables.get(CURRENT_VARIABLE)?.trim() || fallbackToken;
  const others = (variables.get(PENDING_VARIABLE) ?? '').split(',').map((token) => token.trim()).filter((token) => token !== '' && token !== current);
  let record: PhaseRecord | undefined;
  try {
    record = JSON.parse(variables.get(ROTATION_STATE_VARIABLE) ?? 'null') as PhaseRecord | undefined;
  } catch {
    record = undefined;
  }
  const secret = parseRotationSecret(JSON.stringify({ accountSid, authToken: current }), accountSid);
  const other = others[0];
  if (other === undefined || !record) return secret;
  if (record.phase === 'pending') return { ...secret, pendingAuthToken: other, pendingAuthTokenStoredAt: record.at };
  return record.previousExpiresAt ? { ...secret, previousAuthToken: other, previousAuthTokenExpiresAt: record.previousExpiresAt } : secret;
}

export async function rotateTwilioFunctionsToken(options: TwilioFunctionsRotationOptions): Promise<RotationOutcome> {
  const twilio = options.twilio ?? officialTwilioAuthTokens({ ...(options.clientOptions ? { clientOptions: options.clientOptions } : {}), suppressEmailNotification: options.suppressEmailNotification ?? false });
  const variables = options.variables ?? officialServerlessVariables(options);
  const { accountSid } = options;
  // The REST calls authenticate with whichever token is primary at that point of the rotation.
  let primary = options.authToken;

  const store: RotationSecretStore = {
    description: `twilio-functions:${options.serviceSid}/${options.environmentSid}`,
    async read() {
      const secret = variablesToSecret(await variables.read({ accountSid, authToken: primary }), accountSid, options.authToken);
      primary = secret.authToken;
      if (secret.pendingAuthToken && !(await twilio.authenticates({ accountSid, authToken: primary }))) primary = secret.pendingAuthToken;
      return secret;
    },
    async write(next, phase) {
      const credentials = { accountSid, authToken: next.authToken };
      primary = next.authToken;
      if (phase === 'pending') {
        await variables.write(credentials, PENDING_VARIABLE, next.pendingAuthToken ?? '');
        await variables.write(credentials, ROTATION_STATE_VARIABLE, JSON.stringify({ phase, at: next.pendingAuthTokenStoredAt ?? new Date().toISOString() }));
        return;
      }
      // Both tokens in the pending variable first, then the new current: each moment accepts both.
      await variables.write(credentials, PENDING_VARIABLE, [next.authToken, next.previousAuthToken].filter(Boolean).join(','));
      await variables.write(credentials, CURRENT_VARIABLE, next.authToken);
      await variables.write(credentials, ROTATION_STATE_VARIABLE, JSON.stringify({ phase, at: new Date().toISOString(), ...(next.previousAuthTokenExpiresAt ? { previousExpiresAt: next.previousAuthTokenExpiresAt } : {}) }));
    },
  };

  const timing = {
    // Functions read variables on each execution; only Twilio's propagation needs waiting out.
    cacheTtlMs: 60_000,
    previousGraceMs: 5 * 60_000,
    ...timingOptions(options),
  };
  const outcome = await rotateTwilioAuthToken({ ...timing, store, twilio, ...(options.logger ? { logger: options.logger } : {}) });
  if (options.waitForGrace && outcome.status === 'rotated') {
    await (timing.sleep ?? ((ms: number) => new Promise((resolve) => setTimeout(resolve, ms))))(timing.previousGraceMs);
    // The grace has been waited out by `sleep` (which tests replace): judge expiry on that timeline.
    const now = timing.now ?? Date.now;
    await finishGrace({ ...options, authToken: primary, variables, now: () => now() + timing.previousGraceMs });
  }
  return outcome;
}

/** Removes the previous token once its grace period is over. Returns whether it did. */
export async function finishGrace(options: Pick<TwilioFunctionsRotationOptions, 'accountSid' | 'authToken' | 'serviceSid' | 'environmentSid' | 'clientOptions' | 'apiKey' | 'variables'> & { now?: () => number }): Promise<boolean> {
  const variables = options.variables ?? officialServerlessVariables(options);
  const credentials = { accountSid: options.accountSid, authToken: options.authToken };
  const secret = variablesToSecret(await variables.read(credentials), options.accountSid, options.authToken);
  if (secret.pendingAuthToken !== undefined) return false;
  const expiresAt = secret.previousAuthTokenExpiresAt ? Date.parse(secret.previousAuthTokenExpiresAt) : Number.NaN;
  if (secret.previousAuthToken !== undefined && !(expiresAt <= (options.now ?? Date.now)())) return false;
  const current = await variables.read(credentials);
  if (!current.has(PENDING_VARIABLE)) return false;
  await variables.write(credentials, PENDING_VARIABLE, '');
  return true;
}

/**
 * Rotation timing from environment variables, the same names on every platform, so a deployment
 * can match the webhook's cache TTL without code. Unset or invalid values keep the defaults.
 */
import { readEnv } from '../env.js';
import type { RotationTimingOptions } from './rotate.js';

/** Seconds the rotation waits between storing the pending token and promoting it: the webhook's token cache TTL. */
export const CACHE_TTL_VARIABLE = 'TWILIO_TOKEN_CACHE_TTL_SECONDS';
/** Seconds the old token stays accepted after a rotation. 0 after a leak. */
export const PREVIOUS_GRACE_VARIABLE = 'TWILIO_PREVIOUS_TOKEN_GRACE_SECONDS';

/**
 * The rotation timing set by `TWILIO_TOKEN_CACHE_TTL_SECONDS` and `TWILIO_PREVIOUS_TOKEN_GRACE_SECONDS`
 * (seconds; a negative or non-numeric value counts as unset).
 * @param env - where the variables are read; default the process environment, read so that a runtime denying or lacking it reads as unset
 * @returns `cacheTtlMs` and `previousGraceMs` where set, in ms, to spread under explicit options
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
export function rotationTimingFromEnv(env?: Record<string, string | undefined>): RotationTimingOptions {
  const seconds = (name: string): number | undefined => {
    const text = (env ? env[name] : readEnv(name))?.trim();
    if (!text) return undefined;
    const value = Number(text);
    return Number.isFinite(value) && value >= 0 ? value * 1000 : undefined;
  };
  const cacheTtlMs = seconds(CACHE_TTL_VARIABLE);
  const previousGraceMs = seconds(PREVIOUS_GRACE_VARIABLE);
  return { ...(cacheTtlMs !== undefined ? { cacheTtlMs } : {}), ...(previousGraceMs !== undefined ? { previousGraceMs } : {}) };
}

/**
 * One error-level log line per failed rotation attempt. A failure that no retry can fix (a
 * `RotationError`: Twilio refuses the stored tokens; or a `TokenNotConfiguredError`: the secret is malformed,
 * lacks a field or is for another account) is logged as
 * `rotation gave up: it needs a person` with `alert: 'twilio-auth-token-rotation'`, a stable pair a user
 * can build a log alert on; anything else (store or Twilio briefly down) says the platform retries.
 */
import { describeError, type Logger } from '../logger.js';
import { TokenNotConfiguredError } from '../tokens/token-source.js';
import { RotationError, RotationInProgressError } from './rotation-error.js';

/** The `msg` of the error line for a rotation that no retry can fix: a log alert can match it. */
export const ROTATION_GAVE_UP_MESSAGE = 'rotation gave up: it needs a person';
/** The `alert` field of that line, the same on every platform. */
export const ROTATION_ALERT = 'twilio-auth-token-rotation';

/**
 * Logs a failed rotation attempt in one line: a warning for `RotationInProgressError`, the
 * `ROTATION_GAVE_UP_MESSAGE` error with `alert: ROTATION_ALERT` for a failure no retry can fix
 * (`RotationError`, `TokenNotConfiguredError`), otherwise an error saying the platform retries.
 * @param logger - where the line goes
 * @param error - what the attempt threw
 * @param retryHint - how the platform retries, e.g. `'Secrets Manager retries the rotation'`
 * @param fields - added to the line (the step, the secret); never a token
 * @returns whether retrying can help
 */
export function logRotationFailure(logger: Logger, error: unknown, retryHint: string, fields: Record<string, unknown>): boolean {
  if (error instanceof RotationInProgressError) {
    logger.warn({ msg: `rotation deferred: another run holds it; ${retryHint}`, ...fields, reason: error.message });
    return true;
  }
  if (error instanceof RotationError || error instanceof TokenNotConfiguredError) {
    logger.error({ msg: ROTATION_GAVE_UP_MESSAGE, alert: ROTATION_ALERT, ...fields, error: describeError(error) });
    return false;
  }
  logger.error({ msg: `rotation failed; ${retryHint}`, ...fields, error: describeError(error) });
  return true;
}

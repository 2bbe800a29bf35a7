import { neverThrowingLogger, stderrJsonLogger, type Logger } from './logger.js';
import { refusal } from './respond.js';
import type { WebhookResponse } from './types.js';

/**
 * A platform request an adapter cannot turn into a `WebhookRequest` (no raw body, unknown event
 * shape, bad base64...): 400 with a log line that says why, the same on every platform.
 * @param logger - the user's logger, or the default JSON logger when unset
 * @param adapter - the adapter's name, for the log line
 * @param reason - why the request could not be translated (logged, never sent)
 * @param details - more fields for the log line
 * @returns the 400 response
 */
export function rejectUntranslatable(logger: Logger | undefined, adapter: string, reason: string, details: Record<string, unknown> = {}): WebhookResponse {
  neverThrowingLogger(logger ?? stderrJsonLogger).warn({ msg: `rejected webhook: ${reason}`, adapter, status: 400, ...details });
  return refusal(400, 'Bad Request');
}

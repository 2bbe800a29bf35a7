/**
 * A platform request an adapter cannot turn into a `WebhookRequest` (no raw body, unknown event
 * shape, bad base64...): 400 with a log line that says why, the same on every platform.
 */
import { neverThrowingLogger, stderrJsonLogger, type Logger } from './logger.js';
import { refusal } from './respond.js';
import type { WebhookResponse } from './types.js';

export function rejectUntranslatable(logger: Logger | undefined, adapter: string, reason: string, details: Record<string, unknown> = {}): WebhookResponse {
  neverThrowingLogger(logger ?? stderrJsonLogger).warn({ msg: `rejected webhook: ${reason}`, adapter, status: 400, ...details });
  return refusal(400, 'Bad Request');
}

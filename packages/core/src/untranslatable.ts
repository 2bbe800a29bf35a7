/**
 * A platform request an adapter cannot turn into a `WebhookRequest` (no raw body, unknown event
 * shape, bad base64...): a short refusal with a log line that says why, the same on every platform.
 * Reachable only from the adapter subpath, so it takes the logger and refusal from the main entry.
 */
import { neverThrowingLogger, refusal, stderrJsonLogger, type Logger, type WebhookResponse } from '@twiml-guard/core';
import type { TranslationFailure } from './adapter/translation.js';

const PHRASES: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** The refusal of a failed translation: its status (400 by default) and phrase, logged at `level` (500 and above: `error`). */
export function refuseUntranslatable(logger: Logger | undefined, adapter: string, failure: TranslationFailure): WebhookResponse {
  const status = failure.status ?? 400;
  const level = failure.level ?? (status >= 500 ? 'error' : 'warn');
  neverThrowingLogger(logger ?? stderrJsonLogger)[level]({
    msg: `rejected webhook: ${failure.reason}`,
    adapter,
    status,
    ...failure.details,
  });
  return refusal(status, failure.phrase ?? PHRASES[status] ?? 'Bad Request');
}

/** 400 with a log line saying `reason`: `refuseUntranslatable` for the common case. */
export function rejectUntranslatable(
  logger: Logger | undefined,
  adapter: string,
  reason: string,
  details: Record<string, unknown> = {},
): WebhookResponse {
  return refuseUntranslatable(logger, adapter, { ok: false, reason, details });
}

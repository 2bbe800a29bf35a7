/**
 * A Lambda event → the core's `Translation`: `sources/*` hold one translator per event source
 * (API Gateway REST and HTTP API, Function URLs, ALB); the source travels on, since the result
 * shape depends on it.
 */
import type { Translation } from '@twiml-guard/core/adapter';
import { detectSource, type EventSource } from './sources/detect-source.js';
import { translateEvent } from './sources/translate-event.js';

export type LambdaTranslation = Translation<{ readonly source?: EventSource }>;

export function translate(): (args: readonly [unknown, ...unknown[]]) => LambdaTranslation {
  return ([event]) => {
    const translated = translateEvent(event);
    if ('problem' in translated)
      return { ok: false, reason: translated.problem, details: { eventSource: translated.source ?? 'unknown' }, source: translated.source };
    return { ok: true, request: translated.request, source: translated.source };
  };
}

/** The Middy middleware's: a body a parser middleware already replaced cannot be verified (a 500: the middleware order is wrong). */
export function translateForMiddleware(): (args: readonly [unknown]) => LambdaTranslation {
  const translateRaw = translate();
  return (args) => {
    const body = (args[0] as { body?: unknown } | null)?.body;
    if (body !== undefined && body !== null && typeof body !== 'string') {
      // Re-serialising the parsed body would not reproduce what Twilio signed.
      return {
        ok: false,
        status: 500,
        phrase: 'Webhook misconfigured',
        reason: 'event.body is already parsed; register twilioSignature() before any body parser middleware',
        source: detectSource(args[0]),
      };
    }
    return translateRaw(args);
  };
}

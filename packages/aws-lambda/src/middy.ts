/**
 * Middy middleware: `middy(handler).use(twilioSignature(options))`, registered BEFORE any body parser.
 * It validates in `before` from the raw event and, on rejection, returns the platform response
 * (a value returned from `before` ends the chain in @middy/core 5–7). The verified request is
 * put on `context.twilio`. Nothing is imported from @middy/core: the shapes are structural.
 */
import { createWebhookGuard, rejectUntranslatable, stderrJsonLogger, type TwilioWebhookEvent } from '@twiml-guard/core';
import type { LambdaHttpResult } from './events.js';
import { toLambdaResult } from './lambda-result.js';
import type { AwsLambdaOptions } from './options.js';
import { detectSource } from './sources/detect-source.js';
import { translateEvent } from './sources/translate-event.js';
import { AWS_LAMBDA_PLATFORM } from './tokens/default-token-source.js';

export interface MiddyRequestLike {
  event: unknown;
  context: object;
}

export interface TwilioSignatureMiddleware {
  before: (request: MiddyRequestLike) => Promise<LambdaHttpResult | undefined>;
}

/** What the middleware adds to the Lambda context for the handler. */
export interface TwilioSignatureContext {
  twilio: TwilioWebhookEvent;
}

export function twilioSignature(options: AwsLambdaOptions = {}): TwilioSignatureMiddleware {
  const guard = createWebhookGuard(options, AWS_LAMBDA_PLATFORM);
  const logger = options.logger ?? stderrJsonLogger;
  return {
    before: async (request) => {
      const event = request.event;
      const body = (event as { body?: unknown } | null)?.body;
      if (body !== undefined && body !== null && typeof body !== 'string') {
        // A parser already replaced the raw body: re-serialising it would not reproduce what Twilio signed.
        logger.error({
          msg: 'rejected webhook: event.body is already parsed; register twilioSignature() before any body parser middleware',
          adapter: AWS_LAMBDA_PLATFORM.name,
          status: 500,
        });
        const source = detectSource(event);
        return toLambdaResult(source, { status: 500, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'Webhook misconfigured' }, event);
      }
      const translated = translateEvent(event);
      if ('problem' in translated) {
        const refused = rejectUntranslatable(logger, AWS_LAMBDA_PLATFORM.name, translated.problem, { eventSource: translated.source ?? 'unknown' });
        return toLambdaResult(translated.source, refused, event);
      }
      const guarded = await guard(translated.request);
      if (!guarded.ok) return toLambdaResult(translated.source, guarded.response, event);
      (request.context as Partial<TwilioSignatureContext>).twilio = guarded.event;
      return undefined;
    },
  };
}

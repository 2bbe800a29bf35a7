/**
 * Middy middleware: `middy(handler).use(twilioSignature(options))`, registered BEFORE any body parser.
 * It validates in `before` from the raw event and, on rejection, returns the platform response
 * (a value returned from `before` ends the chain in @middy/core 5–7). The verified request is
 * put on `context.twilio`. Nothing is imported from @middy/core: the shapes are structural.
 */
import type { TwilioWebhookEvent } from '@twiml-guard/core';
import type { LambdaHttpResult } from './events.js';
import type { AwsLambdaOptions } from './types.js';
import { middyAdapter } from './platform-adapter.js';

/** The part of Middy's request object the middleware uses (structural: nothing is imported from `@middy/core`). */
export interface MiddyRequestLike {
  /** The Lambda event, with its raw body. */
  event: unknown;
  /** The Lambda context; the verified request is put on it as `twilio`. */
  context: object;
}

/** What `twilioSignature()` returns: a Middy middleware with a `before` step. */
export interface TwilioSignatureMiddleware {
  /** Checks the raw event; resolves with the refusal to send, or `undefined` to go on to the handler. */
  before: (request: MiddyRequestLike) => Promise<LambdaHttpResult | undefined>;
}

/** What the middleware adds to the Lambda context for the handler. */
export interface TwilioSignatureContext {
  twilio: TwilioWebhookEvent;
}

/**
 * A Middy middleware, registered BEFORE any body parser, that lets only requests Twilio signed reach
 * the handler: it checks the raw event in `before`, puts the verified request on `context.twilio`,
 * and answers anything else itself with a short refusal and a log line saying why.
 *
 * @param options - The same options as `twilioWebhook` (`authToken`, `url` / `baseUrl`, `logger`...).
 * @returns The middleware (`{ before }`); a result returned from `before` ends the chain in @middy/core 5–7.
 * @example
 * ```ts
 * import middy from '@middy/core';
 * import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
 * import { twilioSignature, type TwilioSignatureContext } from '@twiml-guard/aws-lambda';
 * export const handler = middy(async (event: APIGatewayProxyEventV2, context: Context & TwilioSignatureContext) => ({
 *   statusCode: 200,
 *   body: String(context.twilio.params.Body),
 * })).use(twilioSignature());
 * ```
 */
export function twilioSignature(options: AwsLambdaOptions = {}): TwilioSignatureMiddleware {
  const guard = middyAdapter.guard(options);
  return {
    before: async (request) => {
      const guarded = await guard([request.event]);
      if (!guarded.ok) return guarded.result;
      (request.context as Partial<TwilioSignatureContext>).twilio = guarded.event;
      return undefined;
    },
  };
}

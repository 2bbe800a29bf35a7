/**
 * Reads the request for the core, or explains why it cannot be: a body someone already consumed
 * (a framework body parser, `await request.text()` before the guard) is gone.
 */
import { DEFAULT_MAX_BODY_BYTES, describeError, neverThrowingLogger, refusal, stderrJsonLogger, type WebhookRequest, type WebhookResponse } from '@twiml-guard/core';
import { readBodyBytes } from './read-body.js';
import { toWebhookRequest } from './to-webhook-request.js';
import type { FetchOptions } from './types.js';

export const ADAPTER = 'fetch';

export type ReadOutcome = { readonly ok: true; readonly request: WebhookRequest } | { readonly ok: false; readonly response: WebhookResponse };

/** `bodySource` is the request itself, or a clone when the wrapped handler must still read the original. */
export async function readRequest(request: Request, bodySource: () => Request, options: FetchOptions): Promise<ReadOutcome> {
  const logger = neverThrowingLogger(options.logger ?? stderrJsonLogger);
  if (request.bodyUsed) {
    logger.error({
      msg: 'rejected webhook: the request body was already read (Request.bodyUsed) before the Twilio guard, so it cannot be verified: run the guard first (Hono: pass c.req.raw before c.req.parseBody())',
      adapter: ADAPTER,
      status: 500,
      method: request.method,
    });
    return { ok: false, response: refusal(500, 'Webhook misconfigured') };
  }
  try {
    const body = await readBodyBytes(bodySource(), options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES);
    return { ok: true, request: toWebhookRequest(request, body) };
  } catch (error) {
    logger.warn({ msg: 'rejected webhook: the request body could not be read', adapter: ADAPTER, status: 400, method: request.method, error: describeError(error) });
    return { ok: false, response: refusal(400, 'Bad Request') };
  }
}

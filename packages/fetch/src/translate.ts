/**
 * `Request` → the core's `WebhookRequest`. `request.url` is all a web-standard runtime offers, and
 * it has been through the WHATWG URL parser already: the notes say what that may have changed. A
 * body someone already consumed (a framework body parser, `await request.text()` before the guard) is gone.
 */
import { DEFAULT_MAX_BODY_BYTES, describeError, type WebhookRequest } from '@twiml-guard/core';
import { normalizeHeaders, readBoundedBody, restoreQuoteInQuery, type TranslateUse, type Translation } from '@twiml-guard/core/adapter';
import type { FetchOptions } from './types.js';

const URL_NOTES = [
  "Request.url is WHATWG-normalised by the runtime (' becomes %27, a space %20, the default port and upper-case in the host are dropped): if the webhook URL configured in Twilio has any of these, set the url option to it exactly",
  'behind a CDN, proxy, rewrite or custom domain (Vercel/Netlify rewrites, Cloudflare routes) Request.url is not the URL Twilio called: set url or baseUrl, or trustProxy behind a proxy you control',
];

/**
 * A web-standard `Request` (its body already read as bytes) → the core's `WebhookRequest`, with
 * notes on what the runtime's URL normalisation may have changed.
 * @param request - the incoming request
 * @param body - its body, as bytes
 * @returns the platform-neutral request
 */
export function toWebhookRequest(request: Request, body: Uint8Array): WebhookRequest {
  // Headers joins repeated values with ", " (set-cookie aside); forEach is the iteration every lib types.
  const headerPairs: [string, string][] = [];
  request.headers.forEach((value, name) => {
    headerPairs.push([name, value]);
  });
  return {
    method: request.method,
    url: restoreQuoteInQuery(request.url),
    headers: normalizeHeaders(headerPairs),
    body,
    urlSource: 'Request.url',
    urlNotes: URL_NOTES,
  };
}

/** The body as bytes, read once, stopping just past the size limit so a huge body is never buffered whole. */
export function readBodyBytes(request: Request, limit: number): Promise<Uint8Array> {
  return readBoundedBody(request.body, limit);
}

/** The adapter's translator: the original request's body, or a clone's when the wrapped handler reads the original later. */
export function translate(options: FetchOptions, use: TranslateUse): (args: readonly [Request]) => Promise<Translation> {
  const limit = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  return async ([request]) => {
    if (request.bodyUsed) {
      return {
        ok: false,
        status: 500,
        phrase: 'Webhook misconfigured',
        reason:
          'the request body was already read (Request.bodyUsed) before the Twilio guard, so it cannot be verified: run the guard first (Hono: pass c.req.raw before c.req.parseBody())',
        details: { method: request.method },
      };
    }
    try {
      // twilioWebhook hands the bytes over in event.body, so the original is read directly, not teed.
      const body = await readBodyBytes(use.originalReadLater ? request.clone() : request, limit);
      return { ok: true, request: toWebhookRequest(request, body) };
    } catch (error) {
      return { ok: false, reason: 'the request body could not be read', details: { method: request.method, error: describeError(error) } };
    }
  };
}

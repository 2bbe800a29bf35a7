/**
 * `Request` → the core's `WebhookRequest`. `request.url` is all a web-standard runtime offers, and
 * it has been through the WHATWG URL parser already: the notes say what that may have changed.
 */
import { normalizeHeaders, restoreQuoteInQuery, type WebhookRequest } from '@twiml-guard/core';

const URL_NOTES = [
  "Request.url is WHATWG-normalised by the runtime (' becomes %27, a space %20, the default port and upper-case in the host are dropped): if the webhook URL configured in Twilio has any of these, set the url option to it exactly",
  'behind a CDN, proxy, rewrite or custom domain (Vercel/Netlify rewrites, Cloudflare routes) Request.url is not the URL Twilio called: set url or baseUrl, or trustProxy behind a proxy you control',
];

export function toWebhookRequest(request: Request, body: Uint8Array): WebhookRequest {
  // Headers joins repeated values with ", " (set-cookie aside); forEach is the iteration every lib types.
  const headerPairs: [string, string][] = [];
  request.headers.forEach((value, name) => headerPairs.push([name, value]));
  return {
    method: request.method,
    url: restoreQuoteInQuery(request.url),
    headers: normalizeHeaders(headerPairs),
    body,
    urlSource: 'Request.url',
    urlNotes: URL_NOTES,
  };
}

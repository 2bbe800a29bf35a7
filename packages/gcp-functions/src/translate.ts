/** Functions Framework (Express) request → core `WebhookRequest`. The body is `req.rawBody`, never `req.body`. */
import type { WebhookRequest } from '@twiml-guard/core';
import { normalizeHeaders, type Translation } from '@twiml-guard/core/adapter';
import { inferGcpPublicUrl, type GcpFunctionEnv } from './public-url.js';
import type { GcpFunctionsOptions, GcpHttpRequest, GcpHttpResponse } from './types.js';

/** A Functions Framework request translated for the core, or why it could not be (no raw body). */
export type GcpTranslation = { readonly ok: true; readonly request: WebhookRequest } | { readonly ok: false; readonly reason: string };

/**
 * Functions Framework (Express) request → the core's `WebhookRequest`, from `req.rawBody` and the public URL inferred from the host.
 * @param req - the Express request
 * @param trustProxy - honour forwarded-host headers when inferring the public URL
 * @param env - the environment (function name variables, for gen1 paths)
 * @returns the translated request, or why it could not be translated
 */
export function toWebhookRequest(req: GcpHttpRequest, trustProxy: boolean, env: GcpFunctionEnv = process.env): GcpTranslation {
  const headers = normalizeHeaders(req.headers);
  const host = typeof headers.host === 'string' ? headers.host : undefined;
  if (!host) return { ok: false, reason: 'no Host header: the public URL cannot be built' };

  let body: Uint8Array | string;
  if (Buffer.isBuffer(req.rawBody)) {
    body = req.rawBody;
  } else if (hasNoBody(headers)) {
    body = '';
  } else {
    // Parsing req.body instead would verify what a parser made of the bytes (qs nests a[b]=c), not what Twilio signed.
    return {
      ok: false,
      reason:
        'req.rawBody is missing although the request has a body: run under the Functions Framework, or save the raw body as req.rawBody before this handler',
    };
  }

  const inferred = inferGcpPublicUrl(host, req.originalUrl ?? req.url, headers, trustProxy, env);
  return {
    ok: true,
    request: {
      method: req.method,
      url: inferred.url,
      path: inferred.path,
      headers,
      body,
      urlSource: inferred.urlSource,
      urlNotes: inferred.urlNotes,
      alternateUrls: inferred.alternateUrls,
    },
  };
}

function hasNoBody(headers: Record<string, string | string[]>): boolean {
  return headers['transfer-encoding'] === undefined && (headers['content-length'] === undefined || headers['content-length'] === '0');
}

/** The adapter's translator; a refusal's log line names the request method. */
export function translate(options: GcpFunctionsOptions): (args: readonly [GcpHttpRequest, GcpHttpResponse]) => Translation {
  const trustProxy = options.trustProxy === true;
  return ([req]) => {
    const translated = toWebhookRequest(req, trustProxy);
    return translated.ok ? translated : { ...translated, details: { method: req.method } };
  };
}

/** Azure Functions `HttpRequest` → core `WebhookRequest`. The body is read once, as bytes. */
import type { HttpRequest } from '@azure/functions';
import { describeError, normalizeHeaders, readBoundedBody, type WebhookRequest } from '@twiml-guard/core';
import { inferAzurePublicUrl } from './public-url.js';

export type AzureTranslation =
  | { readonly ok: true; readonly request: WebhookRequest }
  | { readonly ok: false; readonly reason: string; readonly details?: Record<string, unknown> };

export async function toWebhookRequest(request: HttpRequest, trustProxy: boolean, maxBodyBytes: number): Promise<AzureTranslation> {
  if (request.bodyUsed) {
    return {
      ok: false,
      reason: 'the request body was already read before twilioWebhook saw it (a hook or middleware consumed it): nothing left to verify',
    };
  }
  let body: Uint8Array;
  try {
    // Bounded: in streaming mode (enableHttpStream) the body may be huge or never end.
    body = await readBoundedBody(request.body, maxBodyBytes);
  } catch (error) {
    return { ok: false, reason: 'the request body could not be read', details: { error: describeError(error) } };
  }
  const pairs: [string, string][] = [];
  request.headers.forEach((value, name) => pairs.push([name, value]));
  const headers = normalizeHeaders(pairs);
  const inferred = inferAzurePublicUrl(request.url, headers, trustProxy);
  return {
    ok: true,
    request: {
      method: request.method,
      url: inferred.url,
      headers,
      body,
      urlSource: inferred.urlSource,
      urlNotes: inferred.urlNotes,
      alternateUrls: inferred.alternateUrls,
    },
  };
}

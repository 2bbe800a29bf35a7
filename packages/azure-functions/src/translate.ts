/** Azure Functions `HttpRequest` → core `WebhookRequest`. The body is read once, as bytes. */
import type { HttpRequest, InvocationContext } from '@azure/functions';
import { DEFAULT_MAX_BODY_BYTES, describeError, type WebhookRequest } from '@twiml-guard/core';
import { normalizeHeaders, readBoundedBody, type TranslateUse, type Translation } from '@twiml-guard/core/adapter';
import { inferAzurePublicUrl } from './public-url.js';
import type { AzureFunctionsOptions } from './types.js';

/** An Azure `HttpRequest` translated for the core, or why it could not be (its body was already read, or could not be read). */
export type AzureTranslation =
  | { readonly ok: true; readonly request: WebhookRequest }
  | { readonly ok: false; readonly reason: string; readonly details?: Record<string, unknown> };

/**
 * Azure Functions `HttpRequest` → the core's `WebhookRequest`; the body is read once, as bytes, up to `maxBodyBytes`.
 * @param request - the request the host passed to the function
 * @param trustProxy - honour forwarded-host headers when inferring the public URL
 * @param maxBodyBytes - stop reading past this size
 * @returns the translated request, or why it could not be translated
 */
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
  request.headers.forEach((value, name) => {
    pairs.push([name, value]);
  });
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

/**
 * The adapter's translator. When the wrapped handler reads the request later (`withTwilioSignature`),
 * a clone is read and the original keeps its body; a refusal's log line names the request method.
 */
export function translate(
  options: AzureFunctionsOptions,
  use: TranslateUse,
): (args: readonly [HttpRequest, InvocationContext]) => Promise<Translation> {
  const trustProxy = options.trustProxy === true;
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  return async ([request]) => {
    const translated = await toWebhookRequest(
      use.originalReadLater && !request.bodyUsed ? request.clone() : request,
      trustProxy,
      maxBodyBytes,
    );
    return translated.ok ? translated : { ...translated, details: { method: request.method, ...translated.details } };
  };
}

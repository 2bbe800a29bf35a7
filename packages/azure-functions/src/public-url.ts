/**
 * What the Azure Functions request says about the public URL Twilio called, and what it cannot say.
 * The host builds `request.url` from the request line and the
 * App Service fix-ups (DISGUISED-HOST, X-Forwarded-Proto), then `@azure/functions` passes it through
 * undici's `Request`, which percent-encodes `'` in the query and drops `:443`.
 */
import type { AlternateUrl, WebhookHeaders } from '@twiml-guard/core';
import { firstHeader, restoreQuoteInQuery, splitUrl } from '@twiml-guard/core/adapter';

/** The public URL inferred from an Azure request, where it came from, and what the request could not say. */
export interface AzureUrlInference {
  readonly url: string;
  readonly urlSource: string;
  readonly urlNotes: string[];
  readonly alternateUrls: AlternateUrl[];
}

/**
 * The public URL Twilio most likely called, from the URL the Functions host hands over (with `'` restored
 * in the query) and, with `trustProxy`, the forwarded host.
 * @param normalisedUrl - `request.url` as the host passes it
 * @param headers - the request's lower-cased headers
 * @param trustProxy - honour forwarded-host headers
 * @returns the URL, its source, notes for diagnostics, and alternate URLs to try
 */
export function inferAzurePublicUrl(normalisedUrl: string, headers: WebhookHeaders, trustProxy: boolean): AzureUrlInference {
  const url = restoreQuoteInQuery(normalisedUrl);
  const urlNotes: string[] = [];
  const alternateUrls: AlternateUrl[] = [];
  const parts = splitUrl(url);
  const pathAndQuery = parts ? parts.rest : '';
  const queryStart = normalisedUrl.indexOf('?');
  const query = queryStart === -1 ? '' : normalisedUrl.slice(queryStart);

  if (/%27|%20|%22|%3C|%3E/i.test(query)) {
    urlNotes.push(
      "request.url was normalised by @azure/functions (undici: ' becomes %27, spaces %20, :443 dropped); both spellings were tried. Configure the webhook URL without such characters, or set the url option",
    );
  }

  const forwardedHost = firstHeader(headers, 'x-forwarded-host')?.split(',')[0]?.trim();
  const forwardedProto = firstHeader(headers, 'x-forwarded-proto')?.split(',')[0]?.trim();
  const frontDoor =
    headers['x-azure-fdid'] !== undefined || headers['x-fd-healthprobe'] !== undefined || headers['x-azure-ref'] !== undefined;
  const apiManagement = Object.keys(headers).some((name) => name.startsWith('ocp-apim-') || name.startsWith('x-ms-apim-'));

  if (forwardedHost && !trustProxy && parts && forwardedHost.toLowerCase() !== parts.host.toLowerCase()) {
    alternateUrls.push({
      url: `${forwardedProto ?? 'https'}://${forwardedHost}${pathAndQuery}`,
      label: 'the X-Forwarded-Host/-Proto URL (set trustProxy: true)',
    });
    urlNotes.push(
      frontDoor
        ? `Azure Front Door in front (X-Azure-* headers): the public host ${forwardedHost} is in X-Forwarded-Host, ignored because trustProxy is off. Set trustProxy: true (only if every request comes through Front Door) or baseUrl`
        : `a proxy in front sent X-Forwarded-Host ${forwardedHost}, ignored because trustProxy is off. Set trustProxy: true if you control that proxy, or baseUrl`,
    );
  } else if (frontDoor && !forwardedHost) {
    urlNotes.push(
      'Azure Front Door in front (X-Azure-* headers) but no X-Forwarded-Host: the public URL is not visible here; set url or baseUrl',
    );
  }
  if (apiManagement) {
    urlNotes.push(
      'Azure API Management in front (Ocp-Apim-* headers): the gateway host and API URL suffix are not visible to the function; set url (or baseUrl)',
    );
  }

  if (parts && parts.scheme.toLowerCase() === 'http://') {
    const appServiceSaysHttps = headers['x-arr-ssl'] !== undefined || forwardedProto?.toLowerCase() === 'https';
    if (appServiceSaysHttps) {
      alternateUrls.push({ url: `https://${parts.host}${parts.port}${parts.rest}`, label: 'https (X-ARR-SSL / X-Forwarded-Proto)' });
      urlNotes.push(
        'request.url is http:// but the front end says the client used https (older host runtime, azure-functions-host#6602): set trustProxy: true or baseUrl',
      );
    }
  }

  const originalUrl = firstHeader(headers, 'x-original-url');
  if (originalUrl?.startsWith('/') && parts && originalUrl !== pathAndQuery) {
    alternateUrls.push({ url: `${parts.scheme}${parts.host}${parts.port}${originalUrl}`, label: 'X-Original-URL (a rewrite in front)' });
  }

  return { url, urlSource: 'request.url (host: scheme + Host + route prefix + route + query)', urlNotes, alternateUrls };
}

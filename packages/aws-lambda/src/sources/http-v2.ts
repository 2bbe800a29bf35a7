/**
 * HTTP API payload 2.0. `rawPath` and `rawQueryString` are as received (named stages are in rawPath,
 * `$default` is not); behind a custom domain rawPath lacks the API mapping key, which only config knows.
 */
import type { ApiGatewayV2Event } from '../events.js';
import { decodeBody } from './body.js';
import { eventHeaders } from './headers.js';
import { customDomainNote, hasCloudFrontHeaders, CLOUDFRONT_NOTE, isExecuteApiOrLocalHost } from './hosts.js';
import { gatewayAlternateUrls, gatewayHost } from './gateway-urls.js';
import { withoutStage } from './stage.js';
import type { Translation } from './translation.js';

export function httpV2Request(event: ApiGatewayV2Event): Translation {
  const method = event.requestContext.http.method;
  if (typeof method !== 'string' || typeof event.rawPath !== 'string') {
    return { problem: 'HTTP API payload 2.0 event without requestContext.http.method or rawPath' };
  }
  if (event.rawQueryString != null && typeof event.rawQueryString !== 'string')
    return { problem: 'HTTP API payload 2.0 event whose rawQueryString is not a string' };
  const decoded = decodeBody(event.body, event.isBase64Encoded);
  if ('problem' in decoded) return decoded;
  const headers = eventHeaders(event);
  const context = event.requestContext;
  const gateway = gatewayHost(headers, context.domainName, 'host header');
  if (!gateway) return { problem: 'HTTP API event without a host header or requestContext.domainName' };
  const { host, origin, hostSource } = gateway;

  const query = event.rawQueryString ? `?${event.rawQueryString}` : '';
  const stripped = withoutStage(event.rawPath, context.stage);

  const urlNotes: string[] = [];
  if (!isExecuteApiOrLocalHost(host)) {
    urlNotes.push(customDomainNote(host, 'on HTTP APIs rawPath omits the API mapping key (and may still hold the stage)'));
  }
  if (hasCloudFrontHeaders(headers)) urlNotes.push(CLOUDFRONT_NOTE);

  const alternateUrls = gatewayAlternateUrls({
    headers,
    domainName: context.domainName,
    origin,
    path: event.rawPath,
    query,
    stage: context.stage,
    hostHeaderName: 'host header',
  });

  return {
    request: {
      method,
      url: origin + event.rawPath + query,
      headers,
      body: decoded.body,
      path: (stripped ?? event.rawPath) + query,
      urlSource: `https + ${hostSource} + rawPath + rawQueryString`,
      urlNotes,
      alternateUrls,
    },
  };
}

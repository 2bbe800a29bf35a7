/** Lambda Function URLs: payload 2.0 shape on a `*.lambda-url.<region>.on.aws` host; no stage, raw path and query. */
import type { AlternateUrl } from '@twiml-guard/core';
import { firstHeader } from '@twiml-guard/core/adapter';
import type { ApiGatewayV2Event } from '../events.js';
import { decodeBody } from './body.js';
import { eventHeaders } from './headers.js';
import { customDomainNote, hasCloudFrontHeaders, CLOUDFRONT_NOTE, isLambdaUrlOrLocalHost } from './hosts.js';
import type { Translation } from './translation.js';

export function functionUrlRequest(event: ApiGatewayV2Event): Translation {
  const method = event.requestContext.http.method;
  if (typeof method !== 'string' || typeof event.rawPath !== 'string') {
    return { problem: 'Function URL event without requestContext.http.method or rawPath' };
  }
  if (event.rawQueryString != null && typeof event.rawQueryString !== 'string')
    return { problem: 'Function URL event whose rawQueryString is not a string' };
  const decoded = decodeBody(event.body, event.isBase64Encoded);
  if ('problem' in decoded) return decoded;
  const headers = eventHeaders(event);
  const hostHeader = firstHeader(headers, 'host');
  const domainName = typeof event.requestContext.domainName === 'string' ? event.requestContext.domainName : undefined;
  const host = hostHeader ?? domainName;
  if (!host) return { problem: 'Function URL event without a host header or requestContext.domainName' };

  const query = event.rawQueryString ? `?${event.rawQueryString}` : '';
  const urlNotes: string[] = [];
  if (!isLambdaUrlOrLocalHost(host)) urlNotes.push(customDomainNote(host, 'not the function URL host'));
  // Behind CloudFront the function still sees its own lambda-url host, never the viewer's domain.
  if (hasCloudFrontHeaders(headers)) urlNotes.push(CLOUDFRONT_NOTE);

  const alternateUrls: AlternateUrl[] = [];
  if (domainName && hostHeader && domainName.toLowerCase() !== hostHeader.toLowerCase()) {
    alternateUrls.push({
      url: `https://${domainName}${event.rawPath}${query}`,
      label: 'requestContext.domainName instead of the host header',
    });
  }

  return {
    request: {
      method,
      url: `https://${host}${event.rawPath}${query}`,
      headers,
      body: decoded.body,
      path: event.rawPath + query,
      urlSource: `https + ${hostHeader ? 'host header' : 'requestContext.domainName'} + rawPath + rawQueryString`,
      urlNotes,
      alternateUrls,
    },
  };
}

/**
 * HTTP API with payload format 1.0 (`version: "1.0"`). Unlike REST, `path` is the path as received:
 * it includes a named stage on the execute-api host and the API mapping key on a custom domain.
 */
import type { ApiGatewayV1Event } from '../events.js';
import { decodeBody } from './body.js';
import { eventHeaders } from './headers.js';
import { customDomainNote, hasCloudFrontHeaders, CLOUDFRONT_NOTE, isExecuteApiOrLocalHost } from './hosts.js';
import { REST_QUERY_NOTE, reencodedQuery } from './query.js';
import { gatewayAlternateUrls, gatewayHost } from './gateway-urls.js';
import { withoutStage } from './stage.js';
import type { Translation } from './translation.js';

export function httpV1Request(event: ApiGatewayV1Event): Translation {
  if (typeof event.httpMethod !== 'string' || typeof event.path !== 'string') {
    return { problem: 'HTTP API payload 1.0 event without httpMethod or path' };
  }
  const decoded = decodeBody(event.body, event.isBase64Encoded);
  if ('problem' in decoded) return decoded;
  const headers = eventHeaders(event);
  const context = event.requestContext;
  const gateway = gatewayHost(headers, context.domainName, 'Host header');
  if (!gateway) return { problem: 'HTTP API event without a Host header or requestContext.domainName' };
  const { host, origin, hostSource } = gateway;

  const query = reencodedQuery(event.queryStringParameters, event.multiValueQueryStringParameters);
  const stripped = withoutStage(event.path, context.stage);

  const urlNotes: string[] = [];
  if (query) urlNotes.push(REST_QUERY_NOTE);
  if (!isExecuteApiOrLocalHost(host))
    urlNotes.push(customDomainNote(host, 'path carries the API mapping key, but a CDN or rewrite in front is invisible here'));
  if (hasCloudFrontHeaders(headers)) urlNotes.push(CLOUDFRONT_NOTE);

  const alternateUrls = gatewayAlternateUrls({
    headers,
    domainName: context.domainName,
    origin,
    path: event.path,
    query,
    stage: context.stage,
    hostHeaderName: 'Host header',
  });

  return {
    request: {
      method: event.httpMethod,
      url: origin + event.path + query,
      headers,
      body: decoded.body,
      path: (stripped ?? event.path) + query,
      urlSource: `https + ${hostSource} + path${query ? ' + re-serialised query parameters' : ''}`,
      urlNotes,
      alternateUrls,
    },
  };
}

/**
 * API Gateway REST API, Lambda proxy integration (payload 1.0). `requestContext.path` is the public
 * path: with the stage on the execute-api host, with the base path (no stage) on a custom domain.
 * `path` is relative to the API's root, which is what `baseUrl` gets.
 */
import type { ApiGatewayV1Event } from '../events.js';
import { decodeBody } from './body.js';
import { eventHeaders } from './headers.js';
import { customDomainNote, isExecuteApiOrLocalHost } from './hosts.js';
import { REST_QUERY_NOTE, reencodedQuery } from './query.js';
import { gatewayAlternateUrls, gatewayHost } from './gateway-urls.js';
import type { Translation } from './translation.js';

export function restV1Request(event: ApiGatewayV1Event): Translation {
  if (typeof event.httpMethod !== 'string' || typeof event.path !== 'string') {
    return { problem: 'REST event without httpMethod or path' };
  }
  const decoded = decodeBody(event.body, event.isBase64Encoded);
  if ('problem' in decoded) return decoded;
  const headers = eventHeaders(event);
  const context = event.requestContext;
  const gateway = gatewayHost(headers, context.domainName, 'Host header');
  if (!gateway) return { problem: 'REST event without a Host header or requestContext.domainName' };
  const { host, origin, hostSource } = gateway;

  const hasContextPath = typeof context.path === 'string' && context.path !== '';
  const publicPath = hasContextPath ? (context.path as string) : event.path;
  const query = reencodedQuery(event.queryStringParameters, event.multiValueQueryStringParameters);

  const urlNotes: string[] = [];
  if (query) urlNotes.push(REST_QUERY_NOTE);
  if (!isExecuteApiOrLocalHost(host)) {
    urlNotes.push(
      customDomainNote(
        host,
        'requestContext.path carries the base path mapping, but a CDN, another mapping or a rewrite in front is invisible here',
      ),
    );
  }

  const alternateUrls = gatewayAlternateUrls({
    headers,
    domainName: context.domainName,
    origin,
    path: publicPath,
    query,
    stage: context.stage,
    hostHeaderName: 'Host header',
  });
  if (typeof event.rawPath === 'string' && event.rawPath !== publicPath) {
    alternateUrls.push({ url: origin + event.rawPath + query, label: 'rawPath (before base path mapping)' });
  }
  if (event.path !== publicPath)
    alternateUrls.push({ url: origin + event.path + query, label: 'event.path instead of requestContext.path' });

  return {
    request: {
      method: event.httpMethod,
      url: origin + publicPath + query,
      headers,
      body: decoded.body,
      path: event.path + query,
      urlSource: `https + ${hostSource} + ${hasContextPath ? 'requestContext.path' : 'path'}${query ? ' + re-serialised query parameters' : ''}`,
      urlNotes,
      alternateUrls,
    },
  };
}

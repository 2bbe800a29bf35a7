/**
 * HTTP API with payload format 1.0 (`version: "1.0"`). Unlike REST, `path` is the path as received:
 * it includes a named stage on the execute-api host and the API mapping key on a custom domain.
 */
import { firstHeader, type AlternateUrl } from '@twiml-guard/core';
import type { ApiGatewayV1Event } from '../events.js';
import { decodeBody } from './body.js';
import { eventHeaders } from './headers.js';
import { customDomainNote, hasCloudFrontHeaders, CLOUDFRONT_NOTE, isExecuteApiHost } from './hosts.js';
import { REST_QUERY_NOTE, reencodedQuery } from './query.js';
import { isNamedStage, withoutStage } from './stage.js';
import type { Translation } from './translation.js';

export function httpV1Request(event: ApiGatewayV1Event): Translation {
  if (typeof event.httpMethod !== 'string' || typeof event.path !== 'string') {
    return { problem: 'HTTP API payload 1.0 event without httpMethod or path' };
  }
  const decoded = decodeBody(event.body, event.isBase64Encoded);
  if ('problem' in decoded) return decoded;
  const headers = eventHeaders(event);
  const context = event.requestContext;
  const hostHeader = firstHeader(headers, 'host');
  const host = hostHeader ?? context.domainName;
  if (!host) return { problem: 'HTTP API event without a Host header or requestContext.domainName' };

  const query = reencodedQuery(event.queryStringParameters, event.multiValueQueryStringParameters);
  const origin = `https://${host}`;
  const stripped = withoutStage(event.path, context.stage);

  const urlNotes: string[] = [];
  if (query) urlNotes.push(REST_QUERY_NOTE);
  if (!isExecuteApiHost(host)) urlNotes.push(customDomainNote(host, 'path carries the API mapping key, but a CDN or rewrite in front is invisible here'));
  if (hasCloudFrontHeaders(headers)) urlNotes.push(CLOUDFRONT_NOTE);

  const alternateUrls: AlternateUrl[] = [];
  const domainName = context.domainName;
  if (domainName && hostHeader && domainName.toLowerCase() !== hostHeader.toLowerCase()) {
    alternateUrls.push({ url: `https://${domainName}${event.path}${query}`, label: 'requestContext.domainName instead of the Host header' });
  }
  if (stripped !== undefined) alternateUrls.push({ url: origin + stripped + query, label: `without the stage "/${context.stage}"` });
  else if (isNamedStage(context.stage)) alternateUrls.push({ url: `${origin}/${context.stage}${event.path}${query}`, label: `with the stage "/${context.stage}"` });

  return {
    request: {
      method: event.httpMethod,
      url: origin + event.path + query,
      headers,
      body: decoded.body,
      path: (stripped ?? event.path) + query,
      urlSource: `https + ${hostHeader ? 'Host header' : 'requestContext.domainName'} + path${query ? ' + re-serialised query parameters' : ''}`,
      urlNotes,
      alternateUrls,
    },
  };
}

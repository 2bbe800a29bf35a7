/**
 * Application Load Balancer targets. The listener's scheme and port come from the X-Forwarded-Proto /
 * X-Forwarded-Port headers the ALB sets; query keys and values arrive still percent-encoded.
 */
import { firstHeader } from '@twiml-guard/core/adapter';
import type { AlbEvent } from '../events.js';
import { decodeBody } from './body.js';
import { eventHeaders } from './headers.js';
import { hasCloudFrontHeaders, CLOUDFRONT_NOTE } from './hosts.js';
import { rawQuery } from './query.js';
import type { Translation } from './translation.js';

const DEFAULT_PORT: Record<string, string> = { http: '80', https: '443' };

export function albRequest(event: AlbEvent): Translation {
  if (typeof event.httpMethod !== 'string' || typeof event.path !== 'string') {
    return { problem: 'ALB event without httpMethod or path' };
  }
  const decoded = decodeBody(event.body, event.isBase64Encoded);
  if ('problem' in decoded) return decoded;
  const headers = eventHeaders(event);
  const host = firstHeader(headers, 'host');
  if (!host) return { problem: 'ALB event without a host header' };

  const proto = (firstHeader(headers, 'x-forwarded-proto') ?? 'https').split(',')[0]?.trim().toLowerCase() || 'https';
  const port = firstHeader(headers, 'x-forwarded-port')?.split(',')[0]?.trim();
  const hostHasPort = /:\d+$/.test(host);
  const authority = port && !hostHasPort && port !== DEFAULT_PORT[proto] ? `${host}:${port}` : host;
  const query = rawQuery(event.queryStringParameters, event.multiValueQueryStringParameters);

  const urlNotes: string[] = [];
  if (hasCloudFrontHeaders(headers)) urlNotes.push(CLOUDFRONT_NOTE);

  return {
    request: {
      method: event.httpMethod,
      url: `${proto}://${authority}${event.path}${query}`,
      headers,
      body: decoded.body,
      path: event.path + query,
      urlSource: `x-forwarded-proto + host header${authority !== host ? ' + x-forwarded-port' : ''} + path + query parameters (still encoded)`,
      urlNotes,
      alternateUrls: [],
    },
  };
}

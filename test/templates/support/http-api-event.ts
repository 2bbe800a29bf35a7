/**
 * An API Gateway HTTP API (payload 2.0) event as AWS delivers it for a signed Twilio request, after
 * powertools-lambda-typescript's captured `apigw-http` events: `$default` stage, lower-case headers,
 * `rawPath`/`rawQueryString` as sent, and form bodies base64-encoded (`isBase64Encoded: true`), which
 * is what real HTTP APIs do with application/x-www-form-urlencoded (serverless-offline does not).
 */
import type { SignedTwilioRequest } from '@twiml-guard/testing';

export const EXECUTE_API_HOST = 'r4nd0m1d.execute-api.us-east-1.amazonaws.com';

export function httpApiEvent(signed: SignedTwilioRequest, routeKey: string, dropHeaders: readonly string[] = []): Record<string, unknown> {
  const target = signed.url.slice(signed.url.indexOf('/', signed.url.indexOf('://') + 3));
  const queryStart = target.indexOf('?');
  const rawPath = queryStart === -1 ? target : target.slice(0, queryStart);
  const rawQueryString = queryStart === -1 ? '' : target.slice(queryStart + 1);
  const headers: Record<string, string> = {
    'content-length': String(Buffer.byteLength(signed.body)),
    host: EXECUTE_API_HOST,
    'x-amzn-trace-id': 'Root=1-5f84c7a9-0e5b1e1e2b6d4f4c3c1e1e1e',
    'x-forwarded-for': '54.172.60.1',
    'x-forwarded-port': '443',
    'x-forwarded-proto': 'https',
  };
  for (const [name, value] of Object.entries(signed.headers)) {
    if (!dropHeaders.includes(name.toLowerCase())) headers[name.toLowerCase()] = value;
  }
  const isForm = (headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
  return {
    version: '2.0',
    routeKey,
    rawPath,
    rawQueryString,
    headers,
    ...(rawQueryString ? { queryStringParameters: Object.fromEntries(new URLSearchParams(rawQueryString)) } : {}),
    requestContext: {
      accountId: '123456789012',
      apiId: 'r4nd0m1d',
      domainName: EXECUTE_API_HOST,
      domainPrefix: 'r4nd0m1d',
      http: { method: signed.method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '54.172.60.1', userAgent: headers['user-agent'] ?? '' },
      requestId: 'JKJaXmPLvHcESHA=',
      routeKey,
      stage: '$default',
      time: '30/Nov/2026:09:45:00 +0000',
      timeEpoch: 1796031900000,
    },
    body: isForm ? Buffer.from(signed.body, 'utf8').toString('base64') : signed.body,
    isBase64Encoded: isForm,
  };
}

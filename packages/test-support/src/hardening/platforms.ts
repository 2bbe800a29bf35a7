/**
 * One platform-neutral wire request, delivered through each adapter's real request path: Lambda events
 * of every shape, Azure `HttpRequest` objects, real HTTP into the Functions Framework, Twilio Runtime
 * `(context, event, callback)`, and web-standard `Request`s. Each delivery answers with the status,
 * body and content type the platform would send back.
 */
import type { OutgoingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpRequest, InvocationContext } from '@azure/functions';
import * as functions from '@google-cloud/functions-framework';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import { twilioWebhook as lambdaWebhook } from '@twiml-guard/aws-lambda';
import { twilioWebhook as azureWebhook } from '@twiml-guard/azure-functions';
import {
  parseFormBodyChecked,
  type HandlerResult,
  type TwilioWebhookEvent,
  type WebhookOptions,
  type WebhookRequest,
} from '@twiml-guard/core';
import { twilioWebhook as fetchWebhook } from '@twiml-guard/fetch';
import { twilioWebhook as gcpWebhook } from '@twiml-guard/gcp-functions';
import { twilioWebhook as runtimeWebhook, type PlainRuntimeResponse } from '@twiml-guard/twilio-functions';
import { rawHttp } from '../raw-http.js';
import { bodyBytes, foldedHeaders, headerLines, urlParts } from './catalogue.js';

export interface Delivered {
  readonly status: number;
  readonly body: string;
  readonly contentType: string | undefined;
  /** Response headers, lower-case names, repeated values joined with ", ". */
  readonly headers: Readonly<Record<string, string>>;
}

export function lowerCased(headers: Record<string, string | readonly string[] | number | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return out;
}

/** A handler that ignores the platform context, so every adapter accepts it. */
export type AnyHandler = (event: TwilioWebhookEvent) => HandlerResult | Promise<HandlerResult>;

export interface Platform {
  readonly name: string;
  /** The URL Twilio calls for this function, as the adapter infers it. */
  readonly publicUrl: string;
  /** Repeated header lines arrive as one comma list (or the last one wins) on this platform. */
  readonly foldsRepeatedHeaders: boolean;
  /** Why the platform's request shape cannot carry this request, if it cannot. */
  cannotCarry(request: WebhookRequest): string | undefined;
  /** Why the platform itself answers this request before the adapter runs, if it does. */
  refusedBeforeAdapter?(request: WebhookRequest): string | undefined;
  /** A fresh function (a cold container) with these options. */
  deploy(handler: AnyHandler, options: WebhookOptions): Deployed;
}

export type Deployed = (request: WebhookRequest) => Promise<Delivered>;

/** HTTP drops whitespace around a header value (RFC 9110 §5.5): Node's parser, undici and Express never pass it on. */
function paddedHeader(request: WebhookRequest): string | undefined {
  const padded = headerLines(request).find(([, value]) => value !== value.trim());
  return padded ? `HTTP strips the whitespace around the ${padded[0]} value before any function sees it` : undefined;
}

const isUtf8 = (bytes: Buffer): boolean => {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
};

// ---------------------------------------------------------------- AWS Lambda

export type LambdaShape = 'rest-v1' | 'http-v1' | 'http-v2' | 'function-url' | 'alb-single' | 'alb-multi';

const LAMBDA_HOSTS: Record<LambdaShape, string> = {
  'rest-v1': 'a1b2c3d4e5.execute-api.us-east-1.amazonaws.com',
  'http-v1': 'f6g7h8i9j0.execute-api.us-east-1.amazonaws.com',
  'http-v2': 'k1l2m3n4o5.execute-api.us-east-1.amazonaws.com',
  'function-url': 'abcdefghijklmnopqrstuvwxyz012345.lambda-url.us-east-1.on.aws',
  'alb-single': 'my-alb-1234567890.us-east-1.elb.amazonaws.com',
  'alb-multi': 'my-alb-1234567890.us-east-1.elb.amazonaws.com',
};

/** REST APIs put the stage in the public path; the others here use `$default` or none. */
const LAMBDA_PUBLIC_PATH: Record<LambdaShape, string> = {
  'rest-v1': '/prod/sms',
  'http-v1': '/sms',
  'http-v2': '/sms',
  'function-url': '/sms',
  'alb-single': '/sms',
  'alb-multi': '/sms',
};

function queryMaps(query: string, decode: boolean): { single: Record<string, string>; multi: Record<string, string[]> } {
  const single = Object.create(null) as Record<string, string>;
  const multi = Object.create(null) as Record<string, string[]>;
  if (!query) return { single, multi };
  for (const pair of query.split('&')) {
    const eq = pair.indexOf('=');
    const rawKey = eq === -1 ? pair : pair.slice(0, eq);
    const rawValue = eq === -1 ? '' : pair.slice(eq + 1);
    const key = decode ? decodeURIComponent(rawKey.replace(/\+/g, ' ')) : rawKey;
    const value = decode ? decodeURIComponent(rawValue.replace(/\+/g, ' ')) : rawValue;
    single[key] = value;
    (multi[key] ??= []).push(value);
  }
  return { single, multi };
}

/** The Lambda event API Gateway, a Function URL or an ALB would send for this wire request. */
export function lambdaEvent(shape: LambdaShape, request: WebhookRequest): Record<string, unknown> {
  const { host, path, query } = urlParts(request.url);
  const bytes = bodyBytes(request);
  const lines: [string, string][] = [['host', host], ...headerLines(request)];
  // Null-prototype maps: header names like `__proto__` stay keys, as in the JSON the Lambda runtime parses.
  const multiValueHeaders = Object.create(null) as Record<string, string[]>;
  const lastValue = Object.create(null) as Record<string, string>;
  for (const [name, value] of lines) {
    (multiValueHeaders[name] ??= []).push(value);
    lastValue[name] = value;
  }
  // HTTP APIs and Function URLs base64-encode form posts; the others send text unless it is binary.
  const base64 = shape === 'http-v2' || shape === 'function-url' || !isUtf8(bytes);
  const body = bytes.length === 0 ? null : base64 ? bytes.toString('base64') : bytes.toString('utf8');
  const isBase64Encoded = body !== null && base64;

  if (shape === 'http-v2' || shape === 'function-url') {
    const headers = Object.create(null) as Record<string, string>;
    // Payload 2.0 joins repeated headers with commas.
    for (const [name, value] of lines) headers[name] = name in headers ? `${headers[name]},${value}` : value;
    return {
      version: '2.0',
      routeKey: shape === 'http-v2' ? 'POST /sms' : '$default',
      rawPath: path,
      rawQueryString: query,
      headers,
      ...(body !== null ? { body } : {}),
      isBase64Encoded,
      requestContext: {
        accountId: '123456789012',
        apiId: host.split('.')[0],
        domainName: host,
        domainPrefix: host.split('.')[0],
        stage: '$default',
        requestId: 'req-1',
        http: { method: request.method, path, protocol: 'HTTP/1.1', sourceIp: '54.172.60.1', userAgent: 'TwilioProxy/1.1' },
      },
    };
  }

  if (shape === 'alb-single' || shape === 'alb-multi') {
    const forwarded: [string, string][] = [
      ['x-forwarded-proto', 'https'],
      ['x-forwarded-port', '443'],
    ];
    for (const [name, value] of forwarded) {
      multiValueHeaders[name] = [value];
      lastValue[name] = value;
    }
    // ALB hands query values over still percent-encoded.
    const raw = queryMaps(query, false);
    const base = {
      httpMethod: request.method,
      path,
      body,
      isBase64Encoded,
      requestContext: { elb: { targetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/sms/abc' } },
    };
    return shape === 'alb-multi'
      ? { ...base, multiValueHeaders, multiValueQueryStringParameters: raw.multi }
      : { ...base, headers: lastValue, queryStringParameters: raw.single };
  }

  // Payload 1.0 (REST, and HTTP API with version 1.0): query parameters decoded, both header maps.
  const decoded = queryMaps(query, true);
  const hasQuery = query !== '';
  const stage = shape === 'rest-v1' ? 'prod' : '$default';
  return {
    ...(shape === 'http-v1' ? { version: '1.0' } : {}),
    resource: '/sms',
    path: shape === 'rest-v1' ? path.replace(/^\/prod/, '') : path,
    httpMethod: request.method,
    headers: lastValue,
    multiValueHeaders,
    queryStringParameters: hasQuery ? decoded.single : null,
    multiValueQueryStringParameters: hasQuery ? decoded.multi : null,
    body,
    isBase64Encoded,
    requestContext: { accountId: '123456789012', domainName: host, path, stage, httpMethod: request.method, resourcePath: '/sms' },
  };
}

/** What the Lambda runtime hands the function: the event's JSON, parsed (an own `__proto__` key stays a key). */
export function asDelivered(event: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(JSON.stringify(event)) as Record<string, unknown>;
}

export function lambdaResultOf(result: {
  statusCode: number;
  body: string;
  headers?: Record<string, string>;
  multiValueHeaders?: Record<string, string[]>;
}): Delivered {
  const headers = lowerCased({ ...result.headers, ...result.multiValueHeaders });
  return { status: result.statusCode, body: result.body, contentType: headers['content-type'], headers };
}

function lambdaPlatform(shape: LambdaShape): Platform {
  const payload10 = shape === 'rest-v1' || shape === 'http-v1';
  return {
    name: `aws-lambda ${shape}`,
    publicUrl: `https://${LAMBDA_HOSTS[shape]}${LAMBDA_PUBLIC_PATH[shape]}`,
    foldsRepeatedHeaders: shape === 'http-v2' || shape === 'function-url' || shape === 'alb-single',
    cannotCarry: (request) =>
      payload10 && request.method === 'GET'
        ? 'payload 1.0 hands the query over decoded (its raw form is lost): GET webhooks there need the url option'
        : undefined,
    deploy: (handler, options) => {
      const lambda = lambdaWebhook(handler, options);
      return async (request) =>
        lambdaResultOf(
          (await lambda(asDelivered(lambdaEvent(shape, request)), { awsRequestId: 'test' })) as Parameters<typeof lambdaResultOf>[0],
        );
    },
  };
}

// ---------------------------------------------------------------- Azure Functions

/** An `HttpRequest` the way the Functions host builds it: `{scheme}://{Host}{path}{query}`, headers folded by undici. */
export function azureRequest(request: WebhookRequest): HttpRequest {
  const bytes = bodyBytes(request);
  return new HttpRequest({
    method: request.method,
    url: request.url,
    headers: { host: urlParts(request.url).host, ...foldedHeaders(request) },
    ...(bytes.length > 0 ? { body: { bytes } } : {}),
  });
}

export function azureContext(): InvocationContext {
  return new InvocationContext({ functionName: 'sms', invocationId: 'hardening', logHandler: () => undefined });
}

const azurePlatform: Platform = {
  name: 'azure-functions',
  publicUrl: 'https://myapp.azurewebsites.net/api/sms',
  foldsRepeatedHeaders: true,
  cannotCarry: paddedHeader,
  deploy: (handler, options) => {
    const azure = azureWebhook(handler, options);
    return async (request) => {
      const response = await azure(azureRequest(request), azureContext());
      const headers = (response.headers ?? {}) as Record<string, string>;
      const lower = lowerCased(headers);
      return { status: response.status ?? 200, body: String(response.body ?? ''), contentType: lower['content-type'], headers: lower };
    };
  },
};

// ---------------------------------------------------------------- Google Cloud Functions

let gcpFunctions = 0;

/** Sends the wire request over real HTTP to a Functions Framework server, with the platform's Host header. */
export async function sendHttp(port: number, request: WebhookRequest): Promise<Delivered> {
  const { host, path, query } = urlParts(request.url);
  const bytes = bodyBytes(request);
  const headers = Object.assign(Object.create(null) as OutgoingHttpHeaders, { host });
  for (const [name, value] of headerLines(request)) {
    const existing = headers[name];
    headers[name] =
      existing === undefined || name === 'host' ? value : [...(Array.isArray(existing) ? existing : [String(existing)]), value];
  }
  if (bytes.length > 0) headers['content-length'] = String(bytes.length);
  const response = await rawHttp(port, { method: request.method, path: path + (query ? `?${query}` : ''), setHost: false, headers }, bytes);
  return {
    status: response.status,
    body: response.body,
    contentType: response.headers['content-type'],
    headers: lowerCased(response.headers),
  };
}

/** Registers a fresh HTTP function in the (global) framework registry and serves it on 127.0.0.1:0 for one request. */
export function gcpDeploy(handler: AnyHandler, options: WebhookOptions): Deployed {
  const name = `hardening${gcpFunctions++}`;
  functions.http(name, gcpWebhook(handler, options));
  return servedPerRequest(name);
}

/** Delivers each request to the function registered in the framework as `name`, served on 127.0.0.1:0 for that request alone. */
export function servedPerRequest(name: string): Deployed {
  return async (request) => {
    const server = getTestServer(name);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      return await sendHttp((server.address() as AddressInfo).port, request);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  };
}

const gcpPlatform: Platform = {
  name: 'gcp-functions (gen2, Functions Framework)',
  publicUrl: 'https://sms-abc123def-uc.a.run.app/',
  foldsRepeatedHeaders: true,
  cannotCarry: paddedHeader,
  refusedBeforeAdapter: (request) => {
    const contentType = String(foldedHeaders(request)['content-type'] ?? '');
    if (!contentType.startsWith('application/json')) return undefined;
    try {
      JSON.parse(bodyBytes(request).toString('utf8'));
      return undefined;
    } catch {
      return "the framework's JSON body parser answers 400 itself before the function runs";
    }
  },
  deploy: gcpDeploy,
};

// ---------------------------------------------------------------- Twilio Functions

export const RUNTIME_DOMAIN = 'example-1234-dev.twil.io';

/**
 * What `@twilio/runtime-handler` hands a function: the body (and query) already parsed into `event`,
 * headers under `event.request`. No method and no raw body reach the function.
 */
export function runtimeInvocation(request: WebhookRequest): { context: Record<string, unknown>; event: Record<string, unknown> } {
  const { path, query } = urlParts(request.url);
  const form = request.method === 'GET' ? query : bodyBytes(request).toString('utf8');
  const params = parseFormBodyChecked(form).params;
  return {
    context: { DOMAIN_NAME: RUNTIME_DOMAIN, PATH: path, ACCOUNT_SID: `AC${'0'.repeat(32)}` },
    event: { ...params, request: { headers: foldedHeaders(request), cookies: {} } },
  };
}

const runtimePlatform: Platform = {
  name: 'twilio-functions',
  publicUrl: `https://${RUNTIME_DOMAIN}/sms`,
  foldsRepeatedHeaders: true,
  cannotCarry: (request) => {
    const contentType = String(foldedHeaders(request)['content-type'] ?? '')
      .split(';')[0]
      ?.trim();
    if (!['GET', 'POST'].includes(request.method)) return 'no HTTP method reaches a Runtime function';
    const padded = paddedHeader(request);
    if (padded) return padded;
    // The adapter says so in a urlNote on every GET: prefer POST webhooks (or Protected visibility) there.
    if (request.method === 'GET') return 'the Runtime hands the query over parsed, so a GET query can only be rebuilt, not read as signed';
    const { query } = urlParts(request.url);
    if (request.method === 'POST' && query !== '')
      return 'the Runtime merges the query into event: the URL query (bodySHA256) is not visible as such';
    const form = bodyBytes(request).toString('utf8');
    if (contentType !== 'application/x-www-form-urlencoded')
      return `the Runtime parses only form bodies into event (content type "${contentType}")`;
    if (!isUtf8(bodyBytes(request)) || parseFormBodyChecked(form).problems.length > 0)
      return 'the Runtime decodes the form before the function runs: malformed bytes never reach it';
    return undefined;
  },
  deploy: (handler, options) => {
    const runtime = runtimeWebhook(handler, options);
    return async (request) => {
      const { context, event } = runtimeInvocation(request);
      const response = await new Promise<PlainRuntimeResponse>((resolve) => {
        void runtime(context, event, (_error, result) => resolve(result as PlainRuntimeResponse));
      });
      const headers = lowerCased(response.headers);
      return { status: response.statusCode, body: response.body ?? '', contentType: headers['content-type'], headers };
    };
  },
};

// ---------------------------------------------------------------- fetch (Workers, Deno, Bun, Next.js)

export function fetchRequest(request: WebhookRequest): Request {
  const headers = new Headers();
  for (const [name, value] of headerLines(request)) headers.append(name, value);
  const bytes = bodyBytes(request);
  return new Request(request.url, { method: request.method, headers, ...(bytes.length > 0 ? { body: new Uint8Array(bytes) } : {}) });
}

const fetchPlatform: Platform = {
  name: 'fetch',
  publicUrl: 'https://hooks.example.com/sms',
  foldsRepeatedHeaders: true,
  cannotCarry: paddedHeader,
  deploy: (handler, options) => {
    const web = fetchWebhook(handler, options);
    return async (request) => {
      const response = await web(fetchRequest(request));
      const headers: Record<string, string> = {};
      response.headers.forEach((value, name) => {
        headers[name] = value;
      });
      return { status: response.status, body: await response.text(), contentType: headers['content-type'], headers };
    };
  },
};

export const LAMBDA_SHAPES: readonly LambdaShape[] = ['rest-v1', 'http-v1', 'http-v2', 'function-url', 'alb-single', 'alb-multi'];

export const PLATFORMS: readonly Platform[] = [
  ...LAMBDA_SHAPES.map(lambdaPlatform),
  azurePlatform,
  gcpPlatform,
  runtimePlatform,
  fetchPlatform,
];

export function platformNamed(name: string): Platform {
  const platform = PLATFORMS.find((candidate) => candidate.name === name);
  if (!platform) throw new Error(`no platform ${name}`);
  return platform;
}

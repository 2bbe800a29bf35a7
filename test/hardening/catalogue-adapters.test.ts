/**
 * The core's malformed-input catalogue through every adapter's real request path: each case is
 * refused with its 4xx, with a short body and one log line saying why, and the handler never runs.
 * Then what only one platform can get wrong: Lambda events of no known shape or with bad base64,
 * an Azure body already read, a GCP request without rawBody, a Runtime event the parser mangled.
 */
import { twilioWebhook as lambdaWebhook } from '@twiml-guard/aws-lambda';
import { twilioWebhook as azureWebhook } from '@twiml-guard/azure-functions';
import type { WebhookOptions, WebhookRequest } from '@twiml-guard/core';
import { twilioWebhook as fetchWebhook } from '@twiml-guard/fetch';
import { twilioWebhook as gcpWebhook, type GcpHttpResponse } from '@twiml-guard/gcp-functions';
import { twilioWebhook as runtimeWebhook, type PlainRuntimeResponse } from '@twiml-guard/twilio-functions';
import { capturingLogger, signedFormRequest, smsParams } from '@twiml-guard/test-support';
import { catalogue, CATALOGUE_TOKEN, controls, type CatalogueCase } from '@twiml-guard/test-support/hardening/catalogue';
import {
  azureContext,
  azureRequest,
  fetchRequest,
  lambdaEvent,
  LAMBDA_SHAPES,
  PLATFORMS,
  RUNTIME_DOMAIN,
  type Platform,
} from '@twiml-guard/test-support/hardening/platforms';
import { MIDDY_PLATFORMS, WRAPPED_PLATFORMS } from '@twiml-guard/test-support/hardening/wrapped-platforms';

/** Every entry point: `twilioWebhook(handler)`, `withTwilioSignature(existingHandler)`, and the Middy middleware. */
const ENTRY_POINTS: readonly Platform[] = [...PLATFORMS, ...WRAPPED_PLATFORMS, ...MIDDY_PLATFORMS];

/** The status this platform must answer: the core's, except where the platform changes what arrives. */
function expectedStatus(platform: Platform, entry: CatalogueCase): number {
  // Folded into one comma list (or the last line kept), two different signatures are one malformed or wrong signature: 403.
  if (entry.repeatedSignatureHeader && platform.foldsRepeatedHeaders) return 403;
  if (platform.name.startsWith('gcp') && entry.name === 'no content type with a body') {
    // The framework's raw parser needs a content type, so req.rawBody is missing: the adapter's 400.
    return 400;
  }
  return entry.status;
}

const matrix = ENTRY_POINTS.flatMap((platform) =>
  catalogue(platform.publicUrl).map((entry) => ({ platform, entry, notCarried: platform.cannotCarry(entry.request) })),
);
const carried = matrix.filter((row) => row.notCarried === undefined);

test('every platform carries most of the catalogue; what one cannot carry is said', () => {
  for (const platform of ENTRY_POINTS) {
    const rows = matrix.filter((row) => row.platform === platform);
    const count = rows.filter((row) => row.notCarried === undefined).length;
    const floor = platform.name.startsWith('twilio-functions') ? 20 : 45;
    expect({ platform: platform.name, carried: count >= floor }).toEqual({ platform: platform.name, carried: true });
    for (const row of rows) if (row.notCarried !== undefined) expect(row.notCarried.length).toBeGreaterThan(20);
  }
});

describe.each(ENTRY_POINTS.map((platform) => [platform.name, platform] as const))('%s', (_name, platform) => {
  const base = controls(platform.publicUrl);
  const controlRequests: [string, WebhookRequest, WebhookOptions][] = [
    ['form POST', base.form, {}],
    ['JSON POST with bodySHA256', base.json, {}],
    ["GET with the params in the query (Body has + and ')", base.get, {}],
    ['form POST with Basic auth', base.basicAuth.request, base.basicAuth.options],
  ];
  const carriedControls = controlRequests.filter(([, request]) => platform.cannotCarry(request) === undefined);
  test.each(carriedControls)('control: the unmodified %s is accepted', async (_kind, request, options) => {
    const handler = jest.fn(() => '<Response/>');
    const response = await platform.deploy(handler, { authToken: CATALOGUE_TOKEN, logger: capturingLogger(), ...options })(request);
    expect(response.status).toBe(200);
    expect(handler).toHaveBeenCalledTimes(1);
  });

  const rows = carried.filter((row) => row.platform === platform);
  test.each(rows.map((row) => [row.entry.name, row.entry] as const))(
    '%s',
    async (_case, entry) => {
      const handler = jest.fn(() => '<Response/>');
      const logger = capturingLogger();
      const deliver = platform.deploy(handler, { authToken: CATALOGUE_TOKEN, logger, ...entry.options });
      const response = await deliver(entry.request);
      const status = expectedStatus(platform, entry);
      expect(response.status).toBe(status);
      expect(handler).not.toHaveBeenCalled();
      // The platform answered before the adapter could (its own error page): nothing of ours to check.
      if (platform.refusedBeforeAdapter?.(entry.request)) return;
      expect(response.body.length).toBeLessThan(40);
      expect(response.contentType).toBe('text/plain; charset=utf-8');
      // What a client needs to act on the refusal: the methods allowed, the auth challenge.
      if (status === 405) expect(response.headers.allow).toBe('GET, POST');
      if (status === 401) expect(response.headers['www-authenticate']).toMatch(/^Basic realm="/);
      // The reason is in exactly one log line, never in the response.
      expect(logger.entries.filter(({ entry: line }) => line.status === status)).toHaveLength(1);
      // Every case is answered in milliseconds; a refusal that never comes is a hang, failed here rather than at the suite timeout.
    },
    10_000,
  );
});

describe('platform-specific bad input', () => {
  const params = smsParams();

  describe('aws-lambda', () => {
    const deploy = () => {
      const handler = jest.fn(() => '<Response/>');
      const logger = capturingLogger();
      return { handler, logger, lambda: lambdaWebhook(handler, { authToken: CATALOGUE_TOKEN, logger }) };
    };
    const signedEvent = (shape: (typeof LAMBDA_SHAPES)[number]) => {
      const host = {
        'rest-v1': 'a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/prod',
        'http-v1': 'f6g7h8i9j0.execute-api.us-east-1.amazonaws.com',
        'http-v2': 'k1l2m3n4o5.execute-api.us-east-1.amazonaws.com',
        'function-url': 'abcdefghijklmnopqrstuvwxyz012345.lambda-url.us-east-1.on.aws',
        'alb-single': 'my-alb-1234567890.us-east-1.elb.amazonaws.com',
        'alb-multi': 'my-alb-1234567890.us-east-1.elb.amazonaws.com',
      }[shape];
      return lambdaEvent(shape, signedFormRequest({ token: CATALOGUE_TOKEN, url: `https://${host}/sms`, params }));
    };

    test.each(LAMBDA_SHAPES.map((shape) => [shape] as const))('%s: a correctly signed event is accepted (control)', async (shape) => {
      const { handler, lambda } = deploy();
      expect((await lambda(signedEvent(shape))).statusCode).toBe(200);
      expect(handler).toHaveBeenCalledTimes(1);
    });

    test.each(LAMBDA_SHAPES.map((shape) => [shape] as const))(
      '%s: isBase64Encoded with a body that is not base64 is 400',
      async (shape) => {
        const { handler, logger, lambda } = deploy();
        const event = { ...signedEvent(shape), body: 'Body=hello&From=%2B1555', isBase64Encoded: true };
        const result = await lambda(event);
        expect(result.statusCode).toBe(400);
        expect(handler).not.toHaveBeenCalled();
        expect(logger.at('warn').map((line) => String(line.msg))).toEqual([expect.stringContaining('not valid base64')]);
      },
    );

    test.each(LAMBDA_SHAPES.map((shape) => [shape] as const))(
      '%s: base64 with characters outside the alphabet (Buffer would skip them) is 400',
      async (shape) => {
        const { handler, lambda } = deploy();
        const good = Buffer.from('Body=hi').toString('base64');
        const result = await lambda({ ...signedEvent(shape), body: `${good.slice(0, 4)}*${good.slice(4)}`, isBase64Encoded: true });
        expect(result.statusCode).toBe(400);
        expect(handler).not.toHaveBeenCalled();
      },
    );

    test.each(LAMBDA_SHAPES.map((shape) => [shape] as const))(
      '%s: a body that is not a string (a parser ran first) is 400',
      async (shape) => {
        const { handler, lambda } = deploy();
        const result = await lambda({ ...signedEvent(shape), body: { Body: 'hi' }, isBase64Encoded: false });
        expect(result.statusCode).toBe(400);
        expect(handler).not.toHaveBeenCalled();
      },
    );

    const unknownShapes: [string, unknown][] = [
      ['null', null],
      ['a string', 'POST /sms'],
      ['an array', [1, 2]],
      ['an empty object', {}],
      ['an SQS event', { Records: [{ eventSource: 'aws:sqs', body: 'Body=hi' }] }],
      ['a scheduled event', { source: 'aws.events', 'detail-type': 'Scheduled Event', detail: {} }],
      ['requestContext that is not an object', { httpMethod: 'POST', path: '/sms', requestContext: 'x' }],
      ['requestContext without http, elb or httpMethod', { rawPath: '/sms', requestContext: { domainName: 'x.example.com' } }],
      ['requestContext.http without a method', { rawPath: '/sms', requestContext: { domainName: 'x.example.com', http: {} } }],
      ['payload 2.0 without rawPath', { requestContext: { domainName: 'x.example.com', http: { method: 'POST' } }, body: 'Body=hi' }],
      ['ALB without httpMethod', { path: '/sms', requestContext: { elb: {} }, headers: { host: 'alb.example.com' } }],
      ['REST event without a host anywhere', { httpMethod: 'POST', path: '/sms', requestContext: {}, headers: {}, body: 'Body=hi' }],
    ];
    // Header maps that are not objects (a hand-made or proxied event): translation must refuse them, not throw.
    const brokenHeaders: [string, unknown][] = [
      ['payload 2.0 with headers as a string', { ...signedEvent('http-v2'), headers: 'x-twilio-signature: abc' }],
      ['REST with multiValueHeaders as a string', { ...signedEvent('rest-v1'), multiValueHeaders: 'host: example.com' }],
      ['ALB with headers as a number', { ...signedEvent('alb-single'), headers: 42 }],
    ];
    test.each(brokenHeaders)('%s is 400, not a crash', async (_name, event) => {
      const { handler, logger, lambda } = deploy();
      await expect(lambda(event)).resolves.toMatchObject({ statusCode: 400 });
      expect(handler).not.toHaveBeenCalled();
      expect(logger.entries.filter(({ entry }) => entry.status === 400)).toHaveLength(1);
    });

    test.each(unknownShapes)('unknown or broken event shape (%s) is 400, not a crash', async (_name, event) => {
      const { handler, logger, lambda } = deploy();
      const result = await lambda(event);
      expect(result.statusCode).toBe(400);
      expect(handler).not.toHaveBeenCalled();
      expect(logger.entries.filter(({ entry }) => entry.status === 400)).toHaveLength(1);
    });

    test.each(LAMBDA_SHAPES.filter((shape) => shape !== 'alb-single' && shape !== 'alb-multi').map((shape) => [shape] as const))(
      '%s: the signed event without requestContext is 400 and says what is missing',
      async (shape) => {
        const { handler, logger, lambda } = deploy();
        const { requestContext: _dropped, ...event } = signedEvent(shape);
        const result = await lambda(event);
        expect(result.statusCode).toBe(400);
        expect(handler).not.toHaveBeenCalled();
        expect(String(logger.at('warn')[0]?.msg)).toMatch(/no requestContext/);
      },
    );
  });

  describe('azure-functions', () => {
    const url = 'https://myapp.azurewebsites.net/api/sms';
    test('a body already read by a hook before twilioWebhook is 400, never verified against nothing', async () => {
      const handler = jest.fn(() => '<Response/>');
      const logger = capturingLogger();
      const request = azureRequest(signedFormRequest({ token: CATALOGUE_TOKEN, url, params }));
      await request.text();
      const response = await azureWebhook(handler, { authToken: CATALOGUE_TOKEN, logger })(request, azureContext());
      expect(response.status).toBe(400);
      expect(handler).not.toHaveBeenCalled();
      expect(String(logger.at('warn')[0]?.msg)).toMatch(/already read/);
    });

    test('control: the same request unread is accepted', async () => {
      const handler = jest.fn(() => '<Response/>');
      const request = azureRequest(signedFormRequest({ token: CATALOGUE_TOKEN, url, params }));
      expect((await azureWebhook(handler, { authToken: CATALOGUE_TOKEN, logger: capturingLogger() })(request, azureContext())).status).toBe(
        200,
      );
    });
  });

  describe('gcp-functions (the framework request shape, called directly)', () => {
    const host = 'sms-abc123def-uc.a.run.app';
    const response = () => {
      const sent = { statusCode: 200, headers: {} as Record<string, string>, body: undefined as string | undefined, headersSent: false };
      const res: GcpHttpResponse & typeof sent = Object.assign(sent, {
        setHeader(name: string, value: string) {
          sent.headers[name.toLowerCase()] = value;
        },
        end(body?: string) {
          sent.body = body;
          sent.headersSent = true;
        },
      });
      return res;
    };
    const signed = signedFormRequest({ token: CATALOGUE_TOKEN, url: `https://${host}/`, params });
    const requestShape = (overrides: Record<string, unknown>) => ({
      method: 'POST',
      url: '/',
      originalUrl: '/',
      headers: {
        host,
        'content-type': 'application/x-www-form-urlencoded',
        'content-length': String(Buffer.byteLength(String(signed.body))),
        'x-twilio-signature': String(signed.headers['x-twilio-signature']),
      },
      body: params,
      ...overrides,
    });

    test('no rawBody (another server, or a parser that kept only req.body) is 400; req.body is never trusted', async () => {
      const handler = jest.fn(() => '<Response/>');
      const logger = capturingLogger();
      const res = response();
      await gcpWebhook(handler, { authToken: CATALOGUE_TOKEN, logger })(requestShape({}), res);
      expect(res.statusCode).toBe(400);
      expect(handler).not.toHaveBeenCalled();
      expect(String(logger.at('warn')[0]?.msg)).toMatch(/rawBody is missing/);
    });

    test('rawBody that is not a Buffer (a string) counts as missing: 400', async () => {
      const handler = jest.fn(() => '<Response/>');
      const res = response();
      await gcpWebhook(handler, { authToken: CATALOGUE_TOKEN, logger: capturingLogger() })(
        requestShape({ rawBody: String(signed.body) }),
        res,
      );
      expect(res.statusCode).toBe(400);
      expect(handler).not.toHaveBeenCalled();
    });

    test('no Host header is 400', async () => {
      const handler = jest.fn(() => '<Response/>');
      const res = response();
      const shape = requestShape({ rawBody: Buffer.from(String(signed.body)) });
      await gcpWebhook(handler, { authToken: CATALOGUE_TOKEN, logger: capturingLogger() })(
        { ...shape, headers: { ...shape.headers, host: undefined } },
        res,
      );
      expect(res.statusCode).toBe(400);
      expect(handler).not.toHaveBeenCalled();
    });

    test('control: the same shape with rawBody is accepted', async () => {
      const handler = jest.fn(() => '<Response/>');
      const res = response();
      await gcpWebhook(handler, { authToken: CATALOGUE_TOKEN, logger: capturingLogger() })(
        requestShape({ rawBody: Buffer.from(String(signed.body)) }),
        res,
      );
      expect(res.statusCode).toBe(200);
      expect(handler).toHaveBeenCalledTimes(1);
    });
  });

  describe('twilio-functions', () => {
    const url = `https://${RUNTIME_DOMAIN}/sms`;
    const signature = signedFormRequest({ token: CATALOGUE_TOKEN, url, params }).headers['x-twilio-signature'] as string;
    const invoke = async (context: Record<string, unknown>, event: Record<string, unknown>) => {
      const handler = jest.fn(() => '<Response/>');
      const logger = capturingLogger();
      const response = await new Promise<PlainRuntimeResponse>((resolve) => {
        void runtimeWebhook(handler, { authToken: CATALOGUE_TOKEN, logger })(context, event, (_error, result) =>
          resolve(result as PlainRuntimeResponse),
        );
      });
      return { status: response.statusCode, handler, logger };
    };
    const context = { DOMAIN_NAME: RUNTIME_DOMAIN, PATH: '/sms' };
    const headers = { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature };

    test('control: the signed event is accepted', async () => {
      expect((await invoke(context, { ...params, request: { headers } })).status).toBe(200);
    });

    test.each([
      ['nested keys the runtime parsed (a[b]=c became an object)', context, { ...params, Extra: { b: 'c' }, request: { headers } }, 400],
      ['no DOMAIN_NAME/PATH in context (not called by the Runtime)', {}, { ...params, request: { headers } }, 400],
      ['a number where a string was signed', context, { ...params, NumMedia: 0, request: { headers } }, 400],
    ] as const)('%s: refused', async (_name, ctx, event, status) => {
      const { status: got, handler } = await invoke(ctx, event);
      expect(got).toBe(status);
      expect(handler).not.toHaveBeenCalled();
    });

    test('no event.request.headers (an old runtime-handler) is a 500 misconfiguration, never a pass', async () => {
      const { status, handler } = await invoke(context, { ...params });
      expect(status).toBe(500);
      expect(handler).not.toHaveBeenCalled();
    });
  });

  describe('fetch', () => {
    test('a body a framework already read is refused (500 misconfigured), never verified against nothing', async () => {
      const handler = jest.fn(() => '<Response/>');
      const request = fetchRequest(signedFormRequest({ token: CATALOGUE_TOKEN, url: 'https://hooks.example.com/sms', params }));
      await request.text();
      const response = await fetchWebhook(handler, { authToken: CATALOGUE_TOKEN, logger: capturingLogger() })(request);
      expect(response.status).toBe(500);
      expect(handler).not.toHaveBeenCalled();
    });

    test('a body stream that errors is 400', async () => {
      const handler = jest.fn(() => '<Response/>');
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          controller.error(new Error('connection reset'));
        },
      });
      const request = new Request('https://hooks.example.com/sms', {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': 'x'.repeat(28) },
        duplex: 'half',
      } as RequestInit);
      const response = await fetchWebhook(handler, { authToken: CATALOGUE_TOKEN, logger: capturingLogger() })(request);
      expect(response.status).toBe(400);
      expect(handler).not.toHaveBeenCalled();
    });
  });
});

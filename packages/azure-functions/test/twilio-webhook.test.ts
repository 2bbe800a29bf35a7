import { HttpRequest } from '@azure/functions';
import { twilioWebhook, type AzurePlatformContext } from '@twiml-guard/azure-functions';
import type { TwilioWebhookEvent } from '@twiml-guard/core';
import twilio from 'twilio';
import { ReadableStream } from 'node:stream/web';
import {
  ACCOUNT_SID,
  AUTH_TOKEN,
  FORM,
  hostFormattedUrl,
  hostRequest,
  invocationContext,
  memoryLogger,
  sign,
  signedSmsRequest,
  smsForm,
} from '@twiml-guard/test-support/platforms/azure-host';

const APP_HOST = 'myapp.azurewebsites.net';

function echoHandler(seen: { event?: TwilioWebhookEvent; platform?: AzurePlatformContext }) {
  return (event: TwilioWebhookEvent, platform: AzurePlatformContext) => {
    seen.event = event;
    seen.platform = platform;
    return `<Response><Message>${String(event.params.Body)}</Message></Response>`;
  };
}

describe('twilioWebhook on Azure Functions (HttpRequest / InvocationContext from @azure/functions)', () => {
  it('answers a signed form webhook on the default URL with TwiML and passes request and context on', async () => {
    const seen: { event?: TwilioWebhookEvent; platform?: AzurePlatformContext } = {};
    const logger = memoryLogger();
    const handler = twilioWebhook(echoHandler(seen), { authToken: AUTH_TOKEN, logger });
    const form = smsForm();
    const request = signedSmsRequest({ host: APP_HOST, target: '/api/sms', signedUrl: `https://${APP_HOST}/api/sms` });
    const context = invocationContext();

    const response = await handler(request, context);

    expect(response.status).toBe(200);
    expect(response.headers).toEqual({ 'content-type': 'text/xml; charset=utf-8' });
    expect(response.body).toBe('<Response><Message>Hello there</Message></Response>');
    expect(seen.event?.params).toEqual(form.params);
    expect(seen.event?.accountSid).toBe(ACCOUNT_SID);
    expect(seen.platform?.request).toBe(request);
    expect(seen.platform?.context).toBe(context);
    expect(logger.entries).toEqual([]);
  });

  it('validates behind the Linux App Service front end (DISGUISED-HOST, X-Forwarded-Proto, X-ARR-SSL, X-Original-URL)', async () => {
    const handler = twilioWebhook(() => '<Response/>', { authToken: AUTH_TOKEN, logger: memoryLogger() });
    const form = smsForm();
    const headers = {
      ...FORM,
      'disguised-host': APP_HOST,
      'x-forwarded-proto': 'https',
      'x-arr-ssl': '2048|256|CN=Microsoft Azure RSA TLS Issuing CA 03|CN=*.azurewebsites.net',
      'x-original-url': '/api/sms',
      'x-twilio-signature': sign(`https://${APP_HOST}/api/sms`, form.params),
    };
    // The worker's Host is the internal one; the host's fix-up puts the public one back.
    const request = hostRequest({ scheme: 'http', host: '169.254.129.3:8181', target: '/api/sms', headers, body: form.body });
    expect(request.url).toBe(`https://${APP_HOST}/api/sms`);

    expect((await handler(request, invocationContext())).status).toBe(200);
  });

  it('refuses an older runtime reporting http://, says why, and accepts it with trustProxy', async () => {
    const logger = memoryLogger();
    const form = smsForm();
    const headers = {
      ...FORM,
      'x-forwarded-proto': 'https',
      'x-arr-ssl': '2048|256|...',
      'x-twilio-signature': sign(`https://${APP_HOST}/api/sms`, form.params),
    };
    const shape = { scheme: 'http' as const, host: APP_HOST, target: '/api/sms', headers, body: form.body, appServiceFixups: false };

    const refused = await twilioWebhook(() => '<Response/>', { authToken: AUTH_TOKEN, logger })(hostRequest(shape), invocationContext());
    expect(refused.status).toBe(403);
    const line = logger.entries.find((entry) => entry.status === 403);
    expect(line?.url).toBe(`http://${APP_HOST}/api/sms`);
    expect(line?.wouldMatch).toBe(`https://${APP_HOST}/api/sms`);
    expect(JSON.stringify(line?.hints)).toContain('azure-functions-host#6602');

    const accepted = await twilioWebhook(() => '<Response/>', { authToken: AUTH_TOKEN, trustProxy: true, logger })(
      hostRequest(shape),
      invocationContext(),
    );
    expect(accepted.status).toBe(200);
  });

  it('validates a custom route prefix and a route parameter, and hands the route parameters on', async () => {
    let tenant: string | undefined;
    const handler = twilioWebhook(
      (_event, platform) => {
        tenant = platform.request.params.tenant;
        return '<Response/>';
      },
      { authToken: AUTH_TOKEN, logger: memoryLogger() },
    );
    for (const target of ['/sms/acme', '/hooks/sms/acme']) {
      const request = signedSmsRequest({ host: APP_HOST, target, params: { tenant: 'acme' }, signedUrl: `https://${APP_HOST}${target}` });
      expect((await handler(request, invocationContext())).status).toBe(200);
      expect(tenant).toBe('acme');
    }
  });

  it("validates a query with ', spaces and + signed raw by Twilio although undici normalised request.url", async () => {
    const handler = twilioWebhook(() => '<Response/>', { authToken: AUTH_TOKEN, logger: memoryLogger() });
    const form = smsForm();
    const cases = [
      `https://${APP_HOST}:443/api/sms?name=O'Hara&note=a%20b&plus=a+b`,
      `https://${APP_HOST}/api/sms?name=O'Hara&x=a+b`,
      `https://${APP_HOST}/api/sms?name=O%27Hara&note=a%20b`,
      `https://${APP_HOST}/api/sms?code=Abc123%3D%3D&name=O'Hara`,
    ];
    for (const signedUrl of cases) {
      const target = signedUrl.slice(signedUrl.indexOf('/api/'));
      const request = signedSmsRequest({ host: APP_HOST, target, signedUrl });
      expect(request.url).not.toContain("'");
      expect((await handler(request, invocationContext())).status).toBe(200);
    }
    // twilio's own validator fails on the normalised URL when ' and + meet: the adapter's restore is what makes it pass.
    const quotePlus = `https://${APP_HOST}/api/sms?name=O'Hara&x=a+b`;
    expect(
      twilio.validateRequest(
        AUTH_TOKEN,
        sign(quotePlus, form.params),
        new HttpRequest({ url: quotePlus, method: 'POST' }).url,
        form.params,
      ),
    ).toBe(false);
  });

  it('names the undici normalisation in the 403 log line when the query was rewritten', async () => {
    const logger = memoryLogger();
    const handler = twilioWebhook(() => '<Response/>', { authToken: AUTH_TOKEN, logger });
    const request = signedSmsRequest({
      host: APP_HOST,
      target: "/api/sms?name=O'Hara",
      signedUrl: `https://${APP_HOST}/api/other?name=O'Hara`,
    });
    expect((await handler(request, invocationContext())).status).toBe(403);
    expect(JSON.stringify(logger.entries[0]?.hints)).toContain('undici');
  });

  it('behind Front Door: refuses without trustProxy and names X-Forwarded-Host; accepts with trustProxy', async () => {
    const publicUrl = 'https://www.example.com/api/sms';
    const headers = {
      'x-forwarded-host': 'www.example.com',
      'x-forwarded-proto': 'https',
      'x-azure-fdid': '3f1d1c8e-0000-4000-8000-000000000000',
      'x-azure-ref': '20261123T010000Z-abc',
    };
    const logger = memoryLogger();
    const refused = await twilioWebhook(() => '<Response/>', { authToken: AUTH_TOKEN, logger })(
      signedSmsRequest({ host: APP_HOST, target: '/api/sms', signedUrl: publicUrl, headers }),
      invocationContext(),
    );
    expect(refused.status).toBe(403);
    const line = logger.entries.find((entry) => entry.status === 403);
    expect(line?.wouldMatch).toBe(publicUrl);
    expect(JSON.stringify(line?.hints)).toContain('Front Door');

    const accepted = await twilioWebhook(() => '<Response/>', { authToken: AUTH_TOKEN, trustProxy: true, logger })(
      signedSmsRequest({ host: APP_HOST, target: '/api/sms', signedUrl: publicUrl, headers }),
      invocationContext(),
    );
    expect(accepted.status).toBe(200);
  });

  it('behind API Management: says only url/baseUrl can work, and the url option does', async () => {
    const publicUrl = 'https://contoso.azure-api.net/twilio/sms';
    const headers = { 'ocp-apim-subscription-key': 'not-a-secret-in-this-test' };
    const logger = memoryLogger();
    const refused = await twilioWebhook(() => '<Response/>', { authToken: AUTH_TOKEN, logger })(
      signedSmsRequest({ host: APP_HOST, target: '/api/sms', signedUrl: publicUrl, headers }),
      invocationContext(),
    );
    expect(refused.status).toBe(403);
    expect(JSON.stringify(logger.entries[0]?.hints)).toContain('API Management');

    const accepted = await twilioWebhook(() => '<Response/>', { authToken: AUTH_TOKEN, url: publicUrl, logger })(
      signedSmsRequest({ host: APP_HOST, target: '/api/sms', signedUrl: publicUrl, headers }),
      invocationContext(),
    );
    expect(accepted.status).toBe(200);
  });

  it('checks a JSON webhook against bodySHA256 and hands the parsed JSON on', async () => {
    let json: unknown;
    const handler = twilioWebhook(
      (event) => {
        json = event.json;
        return { status: 204 };
      },
      { authToken: AUTH_TOKEN, logger: memoryLogger() },
    );
    const body = JSON.stringify({ AccountSid: ACCOUNT_SID, flow: 'FW123', value: 'é' });
    const target = `/api/studio?bodySHA256=${twilio.getExpectedBodyHash(body)}`;
    const request = hostRequest({
      host: APP_HOST,
      target,
      headers: { 'content-type': 'application/json', 'x-twilio-signature': sign(`https://${APP_HOST}${target}`, {}) },
      body,
    });
    const response = await handler(request, invocationContext());
    expect(response.status).toBe(204);
    expect(json).toEqual(JSON.parse(body));

    const tampered = hostRequest({
      host: APP_HOST,
      target,
      headers: { 'content-type': 'application/json', 'x-twilio-signature': sign(`https://${APP_HOST}${target}`, {}) },
      body: body.replace('FW123', 'FW999'),
    });
    expect((await handler(tampered, invocationContext())).status).toBe(403);
  });

  it('refuses a missing signature with 400 and a forged one with 403, without running the handler', async () => {
    let ran = false;
    const handler = twilioWebhook(
      () => {
        ran = true;
      },
      { authToken: AUTH_TOKEN, logger: memoryLogger() },
    );
    const form = smsForm();
    const missing = await handler(hostRequest({ host: APP_HOST, target: '/api/sms', headers: FORM, body: form.body }), invocationContext());
    expect(missing.status).toBe(400);
    const forged = await handler(
      signedSmsRequest({
        host: APP_HOST,
        target: '/api/sms',
        signedUrl: `https://${APP_HOST}/api/sms`,
        token: 'ffffffffffffffffffffffffffffffff',
      }),
      invocationContext(),
    );
    expect(forged.status).toBe(403);
    expect(forged.body).toBe('Twilio Request Validation Failed.');
    expect(ran).toBe(false);
  });

  it('answers 400 with a clear log line when the body was already consumed', async () => {
    const logger = memoryLogger();
    let ran = false;
    const handler = twilioWebhook(
      () => {
        ran = true;
      },
      { authToken: AUTH_TOKEN, logger },
    );
    const request = signedSmsRequest({ host: APP_HOST, target: '/api/sms', signedUrl: `https://${APP_HOST}/api/sms` });
    await request.text();

    const response = await handler(request, invocationContext());
    expect(response.status).toBe(400);
    expect(response.body).toBe('Bad Request');
    expect(ran).toBe(false);
    expect(logger.entries).toEqual([
      expect.objectContaining({ level: 'warn', adapter: 'azure-functions', status: 400, msg: expect.stringContaining('already read') }),
    ]);
  });

  it('reads a streaming-mode request (enableHttpStream) whose body is a ReadableStream', async () => {
    const form = smsForm();
    const bytes = new TextEncoder().encode(form.body);
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        // Two chunks, split inside a percent escape, as a socket may deliver them.
        controller.enqueue(bytes.slice(0, 7));
        controller.enqueue(bytes.slice(7));
        controller.close();
      },
    });
    const headers = {
      ...FORM,
      host: APP_HOST,
      'x-forwarded-host': APP_HOST,
      'x-forwarded-proto': 'https',
      'x-twilio-signature': sign(`https://${APP_HOST}/api/sms`, form.params),
    };
    // What createStreamRequest builds: `${x-forwarded-proto}://${x-forwarded-host}${proxyReq.url}` over a streamed body.
    const nativeRequest = new Request(`https://${APP_HOST}/api/sms`, {
      method: 'POST',
      headers,
      body: body as unknown as BodyInit,
      duplex: 'half',
    } as RequestInit);
    const request = new HttpRequest({ nativeRequest, params: {} } as unknown as ConstructorParameters<typeof HttpRequest>[0]);
    expect(request.body).not.toBeNull();

    let params: unknown;
    const response = await twilioWebhook(
      (event) => {
        params = event.params;
      },
      { authToken: AUTH_TOKEN, logger: memoryLogger() },
    )(request, invocationContext());
    expect(response.status).toBe(200);
    expect(params).toEqual(form.params);
  });

  it('answers 500 when the handler throws and 413 for an oversized body', async () => {
    const form = smsForm();
    const signed = { ...FORM, 'x-twilio-signature': sign(`https://${APP_HOST}/api/sms`, form.params) };
    const throwing = twilioWebhook(
      () => {
        throw new Error('boom');
      },
      { authToken: AUTH_TOKEN, logger: memoryLogger() },
    );
    expect(
      (await throwing(hostRequest({ host: APP_HOST, target: '/api/sms', headers: signed, body: form.body }), invocationContext())).status,
    ).toBe(500);

    const small = twilioWebhook(() => '<Response/>', { authToken: AUTH_TOKEN, maxBodyBytes: 16, logger: memoryLogger() });
    expect(
      (await small(hostRequest({ host: APP_HOST, target: '/api/sms', headers: signed, body: form.body }), invocationContext())).status,
    ).toBe(413);
  });

  it('formats test URLs like the host does (sanity check of the fixture helper)', () => {
    expect(
      hostFormattedUrl({
        host: 'x.azurewebsites.net',
        target: '/api/a?b=1',
        headers: { 'disguised-host': 'y.azurewebsites.net', 'x-forwarded-proto': 'http' },
      }),
    ).toBe('http://y.azurewebsites.net/api/a?b=1');
  });
});

describe('streaming mode with a body that never ends', () => {
  it('answers 413 once maxBodyBytes is passed, without waiting for the end of the stream', async () => {
    const chunk = new Uint8Array(16 * 1024).fill(0x61);
    // Never closes: a slow-loris or runaway client.
    const body = new ReadableStream<Uint8Array>({ pull: (controller) => controller.enqueue(chunk) });
    const nativeRequest = new Request('https://sms-demo.azurewebsites.net/api/sms', {
      method: 'POST',
      headers: { ...FORM, 'x-twilio-signature': `${'x'.repeat(27)}=` },
      body: body as unknown as BodyInit,
      duplex: 'half',
    } as RequestInit);
    const request = new HttpRequest({ nativeRequest, params: {} } as unknown as ConstructorParameters<typeof HttpRequest>[0]);
    let ran = false;
    const response = await twilioWebhook(
      () => {
        ran = true;
      },
      { authToken: AUTH_TOKEN, logger: memoryLogger(), maxBodyBytes: 64 * 1024 },
    )(request, invocationContext());
    expect(response.status).toBe(413);
    expect(ran).toBe(false);
  });
});

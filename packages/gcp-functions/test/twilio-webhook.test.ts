/** Through the real Functions Framework: functions.http + getTestServer, real HTTP requests. */
import * as functions from '@google-cloud/functions-framework';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import { twilioWebhook } from '@twiml-guard/gcp-functions';
import type { TwilioWebhookEvent } from '@twiml-guard/core';
import express from 'express';
import twilio from 'twilio';
import {
  ACCOUNT_SID,
  AUTH_TOKEN,
  FORM,
  listen,
  memoryLogger,
  send,
  sendSignedSms,
  sign,
  smsForm,
} from '@twiml-guard/test-support/platforms/gcp-http-client';

const GEN1_HOST = 'us-central1-my-project.cloudfunctions.net';
const GEN2_HOST = 'sms-abc123def-uc.a.run.app';

const seen: { event?: TwilioWebhookEvent; frameworkBody?: unknown } = {};
const logger = memoryLogger();
functions.http(
  'sms',
  twilioWebhook(
    (event, { req }) => {
      seen.event = event;
      seen.frameworkBody = req.body;
      return `<Response><Message>${String(event.params.Body ?? '')}</Message></Response>`;
    },
    { authToken: AUTH_TOKEN, logger },
  ),
);
functions.http(
  'smsTrustProxy',
  twilioWebhook(() => '<Response/>', { authToken: AUTH_TOKEN, trustProxy: true, logger }),
);
functions.http(
  'smsFirebase',
  twilioWebhook(() => '<Response/>', { authToken: AUTH_TOKEN, baseUrl: 'https://my-app.web.app', logger }),
);
functions.http(
  'smsAnswersItself',
  twilioWebhook(
    (_event, { res }) => {
      res.statusCode = 202;
      res.end('answered by the handler');
    },
    { authToken: AUTH_TOKEN, logger },
  ),
);

const servers: { port: number; close: () => Promise<void> }[] = [];
async function serve(name: string): Promise<number> {
  const server = await listen(getTestServer(name));
  servers.push(server);
  return server.port;
}

const savedEnv = { ...process.env };
beforeEach(() => {
  logger.entries.length = 0;
  seen.event = undefined;
  delete process.env.K_SERVICE;
  delete process.env.FUNCTION_TARGET;
  delete process.env.FUNCTION_NAME;
});
afterAll(async () => {
  process.env = savedEnv;
  await Promise.all(servers.map((server) => server.close()));
});

describe('twilioWebhook on Google Cloud Functions (real Functions Framework)', () => {
  it('gen2 (run.app): https + Host + req.originalUrl, answers TwiML', async () => {
    const port = await serve('sms');
    const form = smsForm();
    const response = await send(port, {
      host: GEN2_HOST,
      path: '/',
      headers: { ...FORM, 'x-twilio-signature': sign(`https://${GEN2_HOST}/`, form.params) },
      body: form.body,
    });
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/xml; charset=utf-8');
    expect(response.body).toBe('<Response><Message>Hello there</Message></Response>');
    expect(seen.event?.params).toEqual(form.params);
    expect(seen.event?.url).toBe(`https://${GEN2_HOST}/`);
  });

  it("gen2: keeps the query exactly as sent (' + %20)", async () => {
    const port = await serve('sms');
    const path = "/?name=O'Hara&x=a+b&y=a%20b&z=%7e";
    const response = await sendSignedSms(port, { host: GEN2_HOST, path, signedUrl: `https://${GEN2_HOST}${path}` });
    expect(response.status).toBe(200);
  });

  it('gen1: puts back the function name the platform strips (K_SERVICE)', async () => {
    process.env.K_SERVICE = 'sms';
    const port = await serve('sms');
    const cases: [string, string][] = [
      ['/', `https://${GEN1_HOST}/sms`],
      ['/status?x=1', `https://${GEN1_HOST}/sms/status?x=1`],
      ['/?x=1', `https://${GEN1_HOST}/sms?x=1`],
    ];
    for (const [path, publicUrl] of cases) {
      const response = await sendSignedSms(port, { host: GEN1_HOST, path, signedUrl: publicUrl });
      expect(response.status).toBe(200);
      expect(seen.event?.url).toBe(publicUrl);
    }
  });

  it('gen1: falls back to FUNCTION_TARGET, then FUNCTION_NAME', async () => {
    const port = await serve('sms');
    for (const variable of ['FUNCTION_TARGET', 'FUNCTION_NAME'] as const) {
      delete process.env.FUNCTION_TARGET;
      process.env[variable] = 'incoming';
      const response = await sendSignedSms(port, { host: GEN1_HOST, path: '/', signedUrl: `https://${GEN1_HOST}/incoming` });
      expect(response.status).toBe(200);
    }
  });

  it('gen2 on cloudfunctions.net: a path that already names the function is kept as is', async () => {
    process.env.K_SERVICE = 'sms';
    const port = await serve('sms');
    const response = await sendSignedSms(port, { host: GEN1_HOST, path: '/sms', signedUrl: `https://${GEN1_HOST}/sms` });
    expect(response.status).toBe(200);
  });

  it('cloudfunctions.net without a function name in the environment: 403 whose log line says what is missing', async () => {
    const port = await serve('sms');
    const response = await sendSignedSms(port, { host: GEN1_HOST, path: '/', signedUrl: `https://${GEN1_HOST}/sms` });
    expect(response.status).toBe(403);
    expect(JSON.stringify(logger.entries[0]?.hints)).toContain('K_SERVICE');
  });

  it('verifies bracketed and repeated keys from rawBody, not from the framework-parsed req.body', async () => {
    const port = await serve('sms');
    const body = `AccountSid=${ACCOUNT_SID}&Foo%5Bbar%5D=baz&MediaUrl=a&MediaUrl=b&Body=x+y`;
    const params = { AccountSid: ACCOUNT_SID, 'Foo[bar]': 'baz', MediaUrl: ['a', 'b'], Body: 'x y' };
    const response = await send(port, {
      host: GEN2_HOST,
      path: '/',
      headers: { ...FORM, 'x-twilio-signature': sign(`https://${GEN2_HOST}/`, params) },
      body,
    });
    expect(response.status).toBe(200);
    expect(seen.event?.params).toEqual(params);
    // What the framework's qs parser made of the same bytes: the reason req.body is never used.
    expect(seen.frameworkBody).toMatchObject({ Foo: { bar: 'baz' } });
  });

  it('checks a JSON webhook against bodySHA256 over the raw bytes', async () => {
    const port = await serve('sms');
    const body = JSON.stringify({ AccountSid: ACCOUNT_SID, event: 'flow', nested: { a: [1, 2] } });
    const path = `/?bodySHA256=${twilio.getExpectedBodyHash(body)}`;
    const headers = { 'content-type': 'application/json', 'x-twilio-signature': sign(`https://${GEN2_HOST}${path}`, {}) };
    expect((await send(port, { host: GEN2_HOST, path, headers, body })).status).toBe(200);
    expect(seen.event?.json).toEqual(JSON.parse(body));
    expect((await send(port, { host: GEN2_HOST, path, headers, body: body.replace('flow', 'flaw') })).status).toBe(403);
  });

  it('refuses a missing signature (400) and a forged one (403)', async () => {
    const port = await serve('sms');
    const form = smsForm();
    expect((await send(port, { host: GEN2_HOST, path: '/', headers: FORM, body: form.body })).status).toBe(400);
    const forged = await send(port, {
      host: GEN2_HOST,
      path: '/',
      headers: { ...FORM, 'x-twilio-signature': sign(`https://${GEN2_HOST}/`, form.params, 'ffffffffffffffffffffffffffffffff') },
      body: form.body,
    });
    expect(forged.status).toBe(403);
    expect(forged.body).toBe('Twilio Request Validation Failed.');
    expect(seen.event).toBeUndefined();
  });

  it('ignores X-Forwarded-Host that Express itself would trust', async () => {
    const port = await serve('sms');
    const form = smsForm();
    const headers = {
      ...FORM,
      'x-forwarded-host': 'attacker.example.com',
      'x-twilio-signature': sign(`https://${GEN2_HOST}/`, form.params),
    };
    expect((await send(port, { host: GEN2_HOST, path: '/', headers, body: form.body })).status).toBe(200);
    expect(seen.event?.url).toBe(`https://${GEN2_HOST}/`);
  });

  it('Firebase Hosting rewrite: 403 naming it without configuration; baseUrl or trustProxy make it pass', async () => {
    process.env.K_SERVICE = 'sms';
    const form = smsForm();
    const headers = {
      ...FORM,
      'x-forwarded-host': 'my-app.web.app',
      'x-forwarded-proto': 'https',
      'x-twilio-signature': sign('https://my-app.web.app/api/sms', form.params),
    };
    const shape = { host: GEN1_HOST, path: '/api/sms', headers, body: form.body };

    expect((await send(await serve('sms'), shape)).status).toBe(403);
    const line = logger.entries.find((entry) => entry.status === 403);
    expect(JSON.stringify(line?.hints)).toContain('Firebase Hosting');
    expect(line?.wouldMatch).toBe('https://my-app.web.app/api/sms');

    expect((await send(await serve('smsFirebase'), shape)).status).toBe(200);
    expect((await send(await serve('smsTrustProxy'), shape)).status).toBe(200);
  });

  it('local framework (fetch to 127.0.0.1): http scheme', async () => {
    const port = await serve('sms');
    const form = smsForm();
    const url = `http://127.0.0.1:${port}/sms`;
    const response = await fetch(url, {
      method: 'POST',
      headers: { ...FORM, 'x-twilio-signature': sign(url, form.params) },
      body: form.body,
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('<Response><Message>Hello there</Message></Response>');
  });

  it('a GET webhook (parameters in the query, no body) validates', async () => {
    const port = await serve('sms');
    const path = `/?AccountSid=${ACCOUNT_SID}&Body=Hi+there`;
    const response = await send(port, {
      method: 'GET',
      host: GEN2_HOST,
      path,
      headers: { 'x-twilio-signature': sign(`https://${GEN2_HOST}${path}`, {}) },
    });
    expect(response.status).toBe(200);
    expect(seen.event?.params).toEqual({ AccountSid: ACCOUNT_SID, Body: 'Hi there' });
  });

  it('does not answer twice when the handler wrote the response itself', async () => {
    const port = await serve('smsAnswersItself');
    const response = await sendSignedSms(port, { host: GEN2_HOST, path: '/', signedUrl: `https://${GEN2_HOST}/` });
    expect(response.status).toBe(202);
    expect(response.body).toBe('answered by the handler');
  });

  it('answers 400 with a clear log line when req.rawBody is missing (a plain Express app with its own parser)', async () => {
    const app = express();
    app.use(express.urlencoded({ extended: true }));
    app.post(
      '/sms',
      twilioWebhook(() => '<Response/>', { authToken: AUTH_TOKEN, logger }),
    );
    const server = await listen(app.listen(0, '127.0.0.1'));
    servers.push(server);
    const response = await sendSignedSms(server.port, { host: GEN2_HOST, path: '/sms', signedUrl: `https://${GEN2_HOST}/sms` });
    expect(response.status).toBe(400);
    expect(response.body).toBe('Bad Request');
    expect(logger.entries).toEqual([
      expect.objectContaining({
        level: 'warn',
        adapter: 'gcp-functions',
        status: 400,
        msg: expect.stringContaining('req.rawBody is missing'),
      }),
    ]);
  });
});

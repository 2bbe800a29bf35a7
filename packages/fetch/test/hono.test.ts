/**
 * A real Hono app served over HTTP on 127.0.0.1 through a small node:http → Request bridge (what
 * @hono/node-server does), so the request crosses a socket and Hono's own routing before the guard.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Hono } from 'hono';
import { rawHttp } from '@twiml-guard/test-support/raw-http';
import { twilioWebhook, withTwilioSignature } from '@twiml-guard/fetch';
import { ACCOUNT_SID, AUTH_TOKEN, FORM, capturingLogger, form, messagingTwiml, sign, signedJson, smsParams } from './helpers';

async function bridge(app: Hono, incoming: IncomingMessage, outgoing: ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of incoming) chunks.push(chunk as Buffer);
  const headers = new Headers();
  for (let i = 0; i < incoming.rawHeaders.length; i += 2)
    headers.append(incoming.rawHeaders[i] as string, incoming.rawHeaders[i + 1] as string);
  const method = incoming.method ?? 'GET';
  const request = new Request(`http://${incoming.headers.host}${incoming.url}`, {
    method,
    headers,
    ...(method === 'GET' || method === 'HEAD' ? {} : { body: Buffer.concat(chunks) }),
  });
  const response = await app.fetch(request);
  const responseHeaders: Record<string, string> = {};
  response.headers.forEach((value, name) => (responseHeaders[name] = value));
  outgoing.writeHead(response.status, responseHeaders);
  outgoing.end(Buffer.from(await response.arrayBuffer()));
}

/** Raw http.request: the path goes out byte for byte (fetch would re-encode a quote). */
async function send(
  port: number,
  path: string,
  body: string,
  headers: Record<string, string>,
): Promise<{ status: number; contentType: string | undefined; text: string }> {
  const response = await rawHttp(port, { path, method: 'POST', headers: { ...headers, 'content-length': Buffer.byteLength(body) } }, body);
  return { status: response.status, contentType: response.headers['content-type'], text: response.body };
}

describe('Hono app over HTTP: app.post(path, (c) => guarded(c.req.raw))', () => {
  let server: Server;
  let port = 0;
  const logger = capturingLogger();
  const origin = () => `http://127.0.0.1:${port}`;

  beforeAll(async () => {
    const app = new Hono();
    const sms = twilioWebhook((event) => messagingTwiml(`Hono got: ${String(event.params.Body)}`), { authToken: AUTH_TOKEN, logger });
    const studio = twilioWebhook((event) => messagingTwiml(`Studio step ${(event.json as { step: number }).step}`), {
      authToken: AUTH_TOKEN,
      logger,
    });
    // The URL exactly as configured in Twilio, quote and all: Request.url cannot give it back.
    const quoted = twilioWebhook(() => messagingTwiml('quoted ok'), {
      authToken: AUTH_TOKEN,
      logger,
      url: () => `${origin()}/quoted?name=William+O'hara`,
    });
    const existing = withTwilioSignature(
      async (request: Request) => new Response(`existing handler read ${(await request.text()).length} bytes`),
      { authToken: AUTH_TOKEN, logger },
    );

    app.post('/sms', (c) => sms(c.req.raw));
    app.post('/studio', (c) => studio(c.req.raw));
    app.post('/quoted', (c) => quoted(c.req.raw));
    app.post('/existing', (c) => existing(c.req.raw));
    app.post('/parsed-first', async (c) => {
      await c.req.parseBody();
      return sms(c.req.raw);
    });

    server = createServer((incoming, outgoing) => {
      bridge(app, incoming, outgoing).catch((error: unknown) => {
        outgoing.writeHead(599);
        outgoing.end(String(error));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('answers a signed webhook with TwiML (200)', async () => {
    const params = smsParams();
    const response = await send(port, '/sms', form(params), {
      'content-type': FORM,
      'x-twilio-signature': sign(`${origin()}/sms`, params),
    });
    expect(response.status).toBe(200);
    expect(response.contentType).toBe('text/xml; charset=utf-8');
    expect(response.text).toBe(messagingTwiml(`Hono got: ${params.Body}`));
  });

  it('refuses a forged signature (403) and a missing one (400)', async () => {
    const params = smsParams();
    const forged = await send(port, '/sms', form(params), {
      'content-type': FORM,
      'x-twilio-signature': sign(`${origin()}/sms`, params, 'e'.repeat(32)),
    });
    const missing = await send(port, '/sms', form(params), { 'content-type': FORM });
    expect(forged.status).toBe(403);
    expect(forged.text).toBe('Twilio Request Validation Failed.');
    expect(missing.status).toBe(400);
  });

  it('checks a JSON webhook against bodySHA256', async () => {
    const { url, body, signature } = signedJson(`${origin()}/studio`, { AccountSid: ACCOUNT_SID, step: 3 });
    const path = url.slice(origin().length);
    const ok = await send(port, path, body, { 'content-type': 'application/json', 'x-twilio-signature': signature });
    const tampered = await send(port, path, body.replace('3', '4'), {
      'content-type': 'application/json',
      'x-twilio-signature': signature,
    });
    expect(ok.status).toBe(200);
    expect(ok.text).toBe(messagingTwiml('Studio step 3'));
    expect(tampered.status).toBe(403);
  });

  it('verifies a URL with a raw quote through the url option, sent byte for byte over the socket', async () => {
    const params = smsParams();
    const response = await send(port, "/quoted?name=William+O'hara", form(params), {
      'content-type': FORM,
      'x-twilio-signature': sign(`${origin()}/quoted?name=William+O'hara`, params),
    });
    expect(response.status).toBe(200);
  });

  it('lets an existing handler read the body after withTwilioSignature', async () => {
    const params = smsParams();
    const body = form(params);
    const ok = await send(port, '/existing', body, { 'content-type': FORM, 'x-twilio-signature': sign(`${origin()}/existing`, params) });
    const forged = await send(port, '/existing', body, { 'content-type': FORM, 'x-twilio-signature': sign(`${origin()}/existing`, {}) });
    expect(ok.status).toBe(200);
    expect(ok.text).toBe(`existing handler read ${Buffer.byteLength(body)} bytes`);
    expect(forged.status).toBe(403);
  });

  it('refuses with 500 when a route parsed the body before the guard', async () => {
    const params = smsParams();
    const response = await send(port, '/parsed-first', form(params), {
      'content-type': FORM,
      'x-twilio-signature': sign(`${origin()}/parsed-first`, params),
    });
    expect(response.status).toBe(500);
    expect(logger.entries.some((entry) => String(entry.msg).includes('c.req.parseBody()'))).toBe(true);
  });
});

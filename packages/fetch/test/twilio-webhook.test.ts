/** Node's own web-standard Request/Response: the objects Workers, Deno, Bun and Next.js hand a handler. */
import twilio from 'twilio';
import type { TwilioWebhookEvent } from '@twiml-guard/core';
import { MessagingResponse, twilioWebhook, withTwilioSignature } from '@twiml-guard/fetch';
import { ACCOUNT_SID, AUTH_TOKEN, FORM, capturingLogger, form, messagingTwiml, sign, signedJson, smsParams } from './helpers';

const URL = 'https://hooks.example.com/sms';

function recordingHandler() {
  const calls: { event: TwilioWebhookEvent; request: Request }[] = [];
  const handler = (event: TwilioWebhookEvent, request: Request) => {
    calls.push({ event, request });
    return messagingTwiml(`echo: ${String(event.params.Body ?? (event.json as { text?: string } | undefined)?.text)}`);
  };
  return { calls, handler };
}

const postForm = (url: string, params: Record<string, string>, signature?: string, extra: Record<string, string> = {}) =>
  new Request(url, {
    method: 'POST',
    headers: { 'content-type': FORM, ...(signature ? { 'x-twilio-signature': signature } : {}), ...extra },
    body: form(params),
  });

describe('twilioWebhook(handler) as a fetch handler', () => {
  const options = () => ({ authToken: AUTH_TOKEN, logger: capturingLogger() });

  it('answers a signed form webhook with TwiML and hands the handler the original Request', async () => {
    const { calls, handler } = recordingHandler();
    const params = smsParams();
    const request = postForm(URL, params, sign(URL, params));
    const response = await twilioWebhook(handler, options())(request);

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/xml; charset=utf-8');
    expect(await response.text()).toBe(messagingTwiml(`echo: ${params.Body}`));
    expect({ ...calls[0]?.event.params }).toEqual(params);
    expect(calls[0]?.request).toBe(request);
  });

  it('refuses forged (403), tampered (403) and unsigned (400) requests without running the handler', async () => {
    const { calls, handler } = recordingHandler();
    const guarded = twilioWebhook(handler, options());
    const params = smsParams();
    const statuses = await Promise.all([
      guarded(postForm(URL, params, sign(URL, params, 'f'.repeat(32)))),
      guarded(postForm(URL, { ...params, Body: 'changed' }, sign(URL, params))),
      guarded(postForm(URL, params)),
    ]).then((responses) => responses.map((response) => response.status));
    expect(statuses).toEqual([403, 403, 400]);
    expect(calls).toHaveLength(0);
  });

  it('cannot see a quote or a space Twilio signed raw (Request.url re-encodes them), says so, and accepts with the url option', async () => {
    const { handler } = recordingHandler();
    const raw = "https://hooks.example.com/sms?name=William+O'hara&city=San Jose";
    const params = smsParams();
    const signature = sign(raw, params);
    const request = () => postForm(raw, params, signature);
    expect(request().url).toBe('https://hooks.example.com/sms?name=William+O%27hara&city=San%20Jose');
    // The oracle agrees that the URL the runtime reports does not carry this signature.
    expect(twilio.validateRequest(AUTH_TOKEN, signature, request().url, params)).toBe(false);

    const logger = capturingLogger();
    const inferred = await twilioWebhook(handler, { authToken: AUTH_TOKEN, logger })(request());
    expect(inferred.status).toBe(403);
    const rejection = logger.entries.find((entry) => entry.status === 403);
    expect((rejection?.hints as string[])[0]).toContain('WHATWG-normalised');

    const configured = await twilioWebhook(handler, { authToken: AUTH_TOKEN, url: raw, logger: capturingLogger() })(request());
    expect(configured.status).toBe(200);
  });

  it('accepts a URL signed with :443 although Request.url drops the default port', async () => {
    const { handler } = recordingHandler();
    const params = smsParams();
    const request = postForm('https://hooks.example.com:443/sms', params, sign('https://hooks.example.com:443/sms', params));
    expect(request.url).toBe(URL);
    expect((await twilioWebhook(handler, options())(request)).status).toBe(200);
  });

  it('checks a JSON webhook against bodySHA256 over the raw bytes', async () => {
    const { calls, handler } = recordingHandler();
    const guarded = twilioWebhook(handler, options());
    const { url, body, signature } = signedJson(URL, { AccountSid: ACCOUNT_SID, text: 'from Studio' });
    const post = (payload: string) =>
      new Request(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-twilio-signature': signature }, body: payload });

    const ok = await guarded(post(body));
    const tampered = await guarded(post(body.replace('from Studio', 'from Mallory')));
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('echo: from Studio');
    expect(calls[0]?.event.json).toEqual({ AccountSid: ACCOUNT_SID, text: 'from Studio' });
    expect(tampered.status).toBe(403);
  });

  it('uses baseUrl with the path of Request.url (local dev server behind a tunnel)', async () => {
    const { handler } = recordingHandler();
    const params = smsParams();
    const request = postForm('http://127.0.0.1:8787/sms', params, sign('https://abc.tunnel.example/sms', params));
    const response = await twilioWebhook(handler, { ...options(), baseUrl: 'https://abc.tunnel.example' })(request);
    expect(response.status).toBe(200);
  });

  it('honours X-Forwarded-Host/-Proto only with trustProxy', async () => {
    const { handler } = recordingHandler();
    const params = smsParams();
    const forwarded = { 'x-forwarded-host': 'public.example.com', 'x-forwarded-proto': 'https' };
    const request = () => postForm('http://origin.internal:8080/sms', params, sign('https://public.example.com/sms', params), forwarded);
    expect((await twilioWebhook(handler, options())(request())).status).toBe(403);
    expect((await twilioWebhook(handler, { ...options(), trustProxy: true })(request())).status).toBe(200);
  });

  it('refuses with 500 and a log line when the body was already read', async () => {
    const { handler } = recordingHandler();
    const logger = capturingLogger();
    const params = smsParams();
    const request = postForm(URL, params, sign(URL, params));
    await request.text();
    const response = await twilioWebhook(handler, { authToken: AUTH_TOKEN, logger })(request);
    expect(response.status).toBe(500);
    expect(String(logger.entries[0]?.msg)).toContain('bodyUsed');
  });

  it('answers 413 for a body over maxBodyBytes without reading all of it', async () => {
    const { handler } = recordingHandler();
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(new Uint8Array(1024).fill(0x61));
      },
    });
    const request = new Request(URL, {
      method: 'POST',
      headers: { 'content-type': FORM, 'x-twilio-signature': 'x'.repeat(28) },
      body: endless,
      duplex: 'half',
    } as RequestInit);
    const response = await twilioWebhook(handler, { ...options(), maxBodyBytes: 4096 })(request);
    expect(response.status).toBe(413);
    expect(pulled).toBeLessThan(10);
  });
});

describe('the README example', () => {
  it("answers with the re-exported builder, byte for byte twilio's TwiML", async () => {
    const sms = twilioWebhook(
      (event) => {
        const reply = new MessagingResponse();
        reply.message(`You said: ${event.params.Body}`);
        return reply;
      },
      { authToken: AUTH_TOKEN, logger: capturingLogger() },
    );
    const params = smsParams();
    const response = await sms(postForm(URL, params, sign(URL, params)));
    expect(await response.text()).toBe(messagingTwiml(`You said: ${params.Body}`));
  });
});

describe('withTwilioSignature(fetchHandler)', () => {
  it('runs the wrapped handler with the original, still readable Request and its extra arguments', async () => {
    const params = smsParams();
    const seen: { body: string; env: unknown }[] = [];
    const wrapped = withTwilioSignature(
      async (request: Request, env: { NAME: string }) => {
        seen.push({ body: await request.text(), env });
        return new Response(messagingTwiml(`hi from ${env.NAME}`), { headers: { 'content-type': 'text/xml' } });
      },
      { authToken: AUTH_TOKEN, logger: capturingLogger() },
    );

    const ok = await wrapped(postForm(URL, params, sign(URL, params)), { NAME: 'worker' });
    const forged = await wrapped(postForm(URL, params, sign(URL, { ...params, Body: 'x' })), { NAME: 'worker' });

    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe(messagingTwiml('hi from worker'));
    expect(seen).toEqual([{ body: form(params), env: { NAME: 'worker' } }]);
    expect(forged.status).toBe(403);
  });
});

import twilio from 'twilio';
import {
  contextTokenSource,
  twilioWebhook,
  withInvocationContext,
  withTwilioSignature,
  type TwilioFunctionsPlatform,
} from '@twiml-guard/twilio-functions';
import type { TwilioWebhookEvent } from '@twiml-guard/core';
import { ACCOUNT_SID, AUTH_TOKEN, DOMAIN, capturingLogger, invoke, runtimeContext, runtimeEvent, smsParams } from './helpers';

const URL = `https://${DOMAIN}/sms`;
const sign = (url: string, params: Record<string, string | string[]>, token = AUTH_TOKEN): string =>
  twilio.getExpectedTwilioSignature(token, url, params);

function echoHandler() {
  const calls: { event: TwilioWebhookEvent; platform: TwilioFunctionsPlatform }[] = [];
  const handler = (event: TwilioWebhookEvent, platform: TwilioFunctionsPlatform) => {
    calls.push({ event, platform });
    const reply = new twilio.twiml.MessagingResponse();
    reply.message(`echo: ${String(event.params.Body)}`);
    return reply;
  };
  return { calls, handler };
}

describe('twilioWebhook on the Runtime (context, event, callback)', () => {
  it('answers a request signed for https://DOMAIN_NAME + PATH with TwiML', async () => {
    const { calls, handler } = echoHandler();
    const params = smsParams();
    const event = runtimeEvent(params, { 'x-twilio-signature': sign(URL, params) });
    const context = runtimeContext();
    const { error, response } = await invoke(twilioWebhook(handler, { logger: capturingLogger() }), context, event);

    expect(error).toBeNull();
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/xml; charset=utf-8');
    expect(response.body).toContain("<Message>echo: Ça va? O'Hara &amp; co = 100% 😀</Message>");
    expect(calls).toHaveLength(1);
    expect({ ...calls[0]?.event.params }).toEqual(params);
    expect(calls[0]?.event.url).toBe(URL);
    expect(calls[0]?.event.accountSid).toBe(ACCOUNT_SID);
    expect(calls[0]?.platform.context).toBe(context);
    expect(calls[0]?.platform.event).toBe(event);
  });

  it('refuses a forged signature with 403 and a missing one with 400, without running the handler', async () => {
    const { calls, handler } = echoHandler();
    const guarded = twilioWebhook(handler, { logger: capturingLogger() });
    const params = smsParams();
    const forged = await invoke(
      guarded,
      runtimeContext(),
      runtimeEvent(params, { 'x-twilio-signature': sign(URL, params, 'f'.repeat(32)) }),
    );
    const tampered = await invoke(
      guarded,
      runtimeContext(),
      runtimeEvent({ ...params, Body: 'changed' }, { 'x-twilio-signature': sign(URL, params) }),
    );
    const missing = await invoke(guarded, runtimeContext(), runtimeEvent(params));

    expect([forged.response.statusCode, tampered.response.statusCode, missing.response.statusCode]).toEqual([403, 403, 400]);
    expect(calls).toHaveLength(0);
  });

  it('uses http:// for the local development server and says so on a mismatch', async () => {
    const { handler } = echoHandler();
    const logger = capturingLogger();
    const params = smsParams();
    const context = runtimeContext({ DOMAIN_NAME: 'localhost:3000' });
    const guarded = twilioWebhook(handler, { logger });
    const ok = await invoke(guarded, context, runtimeEvent(params, { 'x-twilio-signature': sign('http://localhost:3000/sms', params) }));
    const httpsSigned = await invoke(
      guarded,
      context,
      runtimeEvent(params, { 'x-twilio-signature': sign('https://localhost:3000/sms', params) }),
    );

    expect(ok.response.statusCode).toBe(200);
    expect(httpsSigned.response.statusCode).toBe(403);
    const rejection = logger.entries.find((entry) => entry.status === 403);
    expect(rejection?.url).toBe('http://localhost:3000/sms');
    expect(rejection?.wouldMatch).toBe('https://localhost:3000/sms');
  });

  it('reads the token from context.AUTH_TOKEN, the authTokenEnv variable, or TWILIO_AUTH_TOKEN; none is a 500', async () => {
    const { handler } = echoHandler();
    const params = smsParams();
    const other = 'abcdefabcdefabcdefabcdefabcdef12';
    const signedWithOther = runtimeEvent(params, { 'x-twilio-signature': sign(URL, params, other) });

    const fromContext = await invoke(
      twilioWebhook(handler, { logger: capturingLogger() }),
      runtimeContext({ AUTH_TOKEN: other }),
      signedWithOther,
    );
    const fromNamed = await invoke(
      twilioWebhook(handler, { authTokenEnv: 'MY_TOKEN', logger: capturingLogger() }),
      runtimeContext({ MY_TOKEN: other }),
      signedWithOther,
    );
    const namedLogger = capturingLogger();
    const namedIgnoresAuthToken = await invoke(
      twilioWebhook(handler, { authTokenEnv: 'MY_TOKEN', logger: namedLogger }),
      runtimeContext({ AUTH_TOKEN: other }),
      signedWithOther,
    );

    process.env.TWILIO_AUTH_TOKEN = other;
    try {
      const fromEnv = await invoke(
        twilioWebhook(handler, { logger: capturingLogger() }),
        runtimeContext({ AUTH_TOKEN: undefined }),
        signedWithOther,
      );
      expect(fromEnv.response.statusCode).toBe(200);
    } finally {
      delete process.env.TWILIO_AUTH_TOKEN;
    }
    const logger = capturingLogger();
    const none = await invoke(twilioWebhook(handler, { logger }), runtimeContext({ AUTH_TOKEN: undefined }), signedWithOther);

    expect(fromContext.response.statusCode).toBe(200);
    expect(fromNamed.response.statusCode).toBe(200);
    expect(namedIgnoresAuthToken.response.statusCode).toBe(500);
    expect(none.response.statusCode).toBe(500);
    expect(String(logger.entries[0]?.msg)).toContain('Add my Twilio Credentials');
    // With authTokenEnv only that variable is read: the log says so, not to set AUTH_TOKEN or TWILIO_AUTH_TOKEN.
    const namedMessage = String(namedLogger.entries[0]?.msg);
    expect(namedMessage).toContain('Set MY_TOKEN in the service');
    expect(namedMessage).not.toMatch(/Set TWILIO_AUTH_TOKEN|Add my Twilio Credentials/);
  });

  it('accepts the pending token during a rotation', async () => {
    const { handler } = echoHandler();
    const params = smsParams();
    const pending = 'fedcbafedcbafedcbafedcbafedcba98';
    const context = runtimeContext({ TWILIO_AUTH_TOKEN_PENDING: pending });
    const result = await invoke(
      twilioWebhook(handler, { logger: capturingLogger() }),
      context,
      runtimeEvent(params, { 'x-twilio-signature': sign(URL, params, pending) }),
    );
    expect(result.response.statusCode).toBe(200);
  });

  it('keeps each invocation on its own context token, even across awaits', async () => {
    const source = contextTokenSource();
    const read = (token: string, delayMs: number) =>
      withInvocationContext(runtimeContext({ AUTH_TOKEN: token }), async () => {
        await new Promise((resolve) => setTimeout(resolve, delayMs));
        return source.getTokens();
      });
    // The first invocation reads its token after the second one started.
    await expect(Promise.all([read('first-token', 20), read('second-token', 0)])).resolves.toEqual([['first-token'], ['second-token']]);
  });

  it('cannot verify a webhook URL with its own query string from event, says why, and can with the url option', async () => {
    const { calls, handler } = echoHandler();
    const configured = `${URL}?tenant=acme`;
    const params = smsParams();
    // The Runtime merges the query into event; Twilio signed the query as part of the URL.
    const event = runtimeEvent({ tenant: 'acme', ...params }, { 'x-twilio-signature': sign(configured, params) });

    const logger = capturingLogger();
    const inferred = await invoke(twilioWebhook(handler, { logger }), runtimeContext(), event);
    expect(inferred.response.statusCode).toBe(403);
    const hints = logger.entries.find((entry) => entry.status === 403)?.hints as string[];
    expect(hints.join('\n')).toContain('not Twilio parameters (tenant)');

    const configuredResult = await invoke(twilioWebhook(handler, { url: configured, logger: capturingLogger() }), runtimeContext(), event);
    expect(configuredResult.response.statusCode).toBe(200);
    expect(calls[0]?.event.params.tenant).toBeUndefined();

    const fromContextVariable = await invoke(
      twilioWebhook(handler, { logger: capturingLogger() }),
      runtimeContext({ TWILIO_WEBHOOK_URL: configured }),
      event,
    );
    expect(fromContextVariable.response.statusCode).toBe(200);
  });

  it('takes PUBLIC_BASE_URL from the context for a custom domain', async () => {
    const { handler } = echoHandler();
    const params = smsParams();
    const event = runtimeEvent(params, { 'x-twilio-signature': sign('https://hooks.example.com/twilio/sms', params) });
    const result = await invoke(
      twilioWebhook(handler, { logger: capturingLogger() }),
      runtimeContext({ PUBLIC_BASE_URL: 'https://hooks.example.com/twilio' }),
      event,
    );
    expect(result.response.statusCode).toBe(200);
  });

  it('rebuilds a GET webhook query from event in arrival order', async () => {
    const { calls, handler } = echoHandler();
    const signedUrl = `${URL}?AccountSid=${ACCOUNT_SID}&From=%2B15551230000&Body=Hi%20there`;
    const event = {
      request: { headers: { 'x-twilio-signature': sign(signedUrl, {}) } },
      AccountSid: ACCOUNT_SID,
      From: '+15551230000',
      Body: 'Hi there',
    };
    const result = await invoke(twilioWebhook(handler, { logger: capturingLogger() }), runtimeContext(), event);
    expect(result.response.statusCode).toBe(200);
    expect(calls[0]?.event.method).toBe('GET');
    expect(calls[0]?.event.params.Body).toBe('Hi there');
  });

  it('refuses JSON webhooks (no raw body to hash) with 415 and points to Protected visibility', async () => {
    const { calls, handler } = echoHandler();
    const logger = capturingLogger();
    const body = JSON.stringify({ AccountSid: ACCOUNT_SID, flow: { data: 1 } });
    const hash = (await import('node:crypto')).createHash('sha256').update(body).digest('hex');
    const signedUrl = `${URL}?bodySHA256=${hash}`;
    const event = {
      request: { headers: { 'content-type': 'application/json', 'x-twilio-signature': sign(signedUrl, {}) } },
      bodySHA256: hash,
      ...(JSON.parse(body) as Record<string, unknown>),
    };
    const result = await invoke(twilioWebhook(handler, { logger }), runtimeContext(), event);
    expect(result.response.statusCode).toBe(415);
    expect(calls).toHaveLength(0);
    expect(String(logger.entries[0]?.msg)).toContain('Protected');
  });

  it('answers 500 when the runtime passes no request headers, and 400 outside the Runtime', async () => {
    const { handler } = echoHandler();
    const logger = capturingLogger();
    const guarded = twilioWebhook(handler, { logger });
    const noHeaders = await invoke(guarded, runtimeContext(), { Body: 'x' });
    const noDomain = await invoke(guarded, runtimeContext({ DOMAIN_NAME: undefined }), runtimeEvent(smsParams()));
    expect(noHeaders.response.statusCode).toBe(500);
    expect(String(logger.entries[0]?.msg)).toContain('@twilio/runtime-handler');
    expect(noDomain.response.statusCode).toBe(400);
  });

  it('answers 500 when the handler throws, never an unhandled error', async () => {
    const params = smsParams();
    const result = await invoke(
      twilioWebhook(
        () => {
          throw new Error('boom');
        },
        { logger: capturingLogger() },
      ),
      runtimeContext(),
      runtimeEvent(params, { 'x-twilio-signature': sign(URL, params) }),
    );
    expect(result.error).toBeNull();
    expect(result.response.statusCode).toBe(500);
  });

  it('passes status codes and headers of a response object through', async () => {
    const params = smsParams();
    const result = await invoke(
      twilioWebhook(() => ({ status: 202, headers: { 'X-Custom': 'yes' }, body: 'queued' }), { logger: capturingLogger() }),
      runtimeContext(),
      runtimeEvent(params, { 'x-twilio-signature': sign(URL, params) }),
    );
    expect(result.response.statusCode).toBe(202);
    expect(result.response.headers['x-custom']).toBe('yes');
    expect(result.response.body).toBe('queued');
  });
});

describe('skipValidationWhenProtected', () => {
  const SERVICE_SID = `ZS${'0123456789abcdef'.repeat(2)}`;
  const bogus = { 'x-twilio-signature': 'bm90IGEgcmVhbCBzaWduYXR1cmUhISE=' };

  it('leaves the check to the gateway only when deployed and the request carries a signature', async () => {
    const { calls, handler } = echoHandler();
    const options = { skipValidationWhenProtected: true, logger: capturingLogger() };
    const deployed = await invoke(twilioWebhook(handler, options), runtimeContext({ SERVICE_SID }), runtimeEvent(smsParams(), bogus));
    const local = await invoke(
      twilioWebhook(handler, options),
      runtimeContext({ DOMAIN_NAME: 'localhost:3000' }),
      runtimeEvent(smsParams(), bogus),
    );
    const unsigned = await invoke(twilioWebhook(handler, options), runtimeContext({ SERVICE_SID }), runtimeEvent(smsParams()));
    const optionOff = await invoke(
      twilioWebhook(handler, { logger: capturingLogger() }),
      runtimeContext({ SERVICE_SID }),
      runtimeEvent(smsParams(), bogus),
    );

    expect([deployed.response.statusCode, local.response.statusCode, unsigned.response.statusCode, optionOff.response.statusCode]).toEqual([
      200, 403, 400, 403,
    ]);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.event.params.Body).toBe(smsParams().Body);
    expect(options.logger.entries.some((entry) => String(entry.msg).includes('local development'))).toBe(true);
  });

  it('hands a Protected JSON webhook its parsed fields', async () => {
    const { calls, handler } = echoHandler();
    const event = {
      request: { headers: { 'content-type': 'application/json', ...bogus } },
      bodySHA256: 'ab',
      AccountSid: ACCOUNT_SID,
      flow: { step: 2 },
    };
    const result = await invoke(
      twilioWebhook(handler, { skipValidationWhenProtected: true, logger: capturingLogger() }),
      runtimeContext({ SERVICE_SID }),
      event,
    );
    expect(result.response.statusCode).toBe(200);
    expect(calls[0]?.event.json).toEqual({ AccountSid: ACCOUNT_SID, flow: { step: 2 } });
    expect(calls[0]?.event.accountSid).toBe(ACCOUNT_SID);
  });
});

describe('withTwilioSignature', () => {
  it('runs the original Runtime function unchanged for signed requests only', async () => {
    const seen: unknown[] = [];
    const original = (context: unknown, event: unknown, callback: (error: unknown, response?: unknown) => void) => {
      seen.push(event);
      callback(null, 'original answer');
    };
    const guarded = withTwilioSignature(original, { logger: capturingLogger() });
    const params = smsParams();
    const signedEvent = runtimeEvent(params, { 'x-twilio-signature': sign(URL, params) });
    const signed = await invoke(guarded, runtimeContext(), signedEvent);
    const forged = await invoke(
      guarded,
      runtimeContext(),
      runtimeEvent(params, { 'x-twilio-signature': sign(URL, { ...params, Body: 'x' }) }),
    );

    expect(signed.response as unknown).toBe('original answer');
    expect(seen).toEqual([signedEvent]);
    expect(forged.response.statusCode).toBe(403);
  });

  it('passes an error the original function throws to the callback, as the Runtime would', async () => {
    const params = smsParams();
    const result = await invoke(
      withTwilioSignature(
        () => {
          throw new Error('original failed');
        },
        { logger: capturingLogger() },
      ),
      runtimeContext(),
      runtimeEvent(params, { 'x-twilio-signature': sign(URL, params) }),
    );
    expect((result.error as Error).message).toBe('original failed');
  });
});

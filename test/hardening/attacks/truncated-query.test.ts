/**
 * Review of issue 14: one capture, a query past Node's legacy `querystring` limit.
 *
 * twilio's last URL fallback re-encodes the query through `querystring.parse`, which stops after
 * 1000 `&`-separated pieces (empty ones count). A GET webhook is signed over its URL alone, so
 * `<that URL>` + 997 `&` + `&bodySHA256=<hash of any JSON>` matched the captured signature through
 * that variant, while the body check read the appended hash: the handler ran with JSON of the
 * sender's choosing. The same padding carried a second `tenant=` past a POST's signature into the
 * platform's query map, which `withTwilioSignature` hands the existing handler.
 *
 * Signatures come from the `twilio` package (the oracle); it accepts both requests itself.
 */
import { createHash } from 'node:crypto';
import twilio from 'twilio';
import { verifySignature, type TwilioWebhookEvent, type WebhookOptions, type WebhookRequest } from '@twiml-guard/core';
import { accountSid, capturingLogger, signedFormRequest, smsParams } from '@twiml-guard/test-support';
import { CATALOGUE_TOKEN } from '@twiml-guard/test-support/hardening/catalogue';
import { PLATFORMS, type AnyHandler, type Platform } from '@twiml-guard/test-support/hardening/platforms';
import { MIDDY_PLATFORMS, WRAPPED_PLATFORMS } from '@twiml-guard/test-support/hardening/wrapped-platforms';

const ENTRY_POINTS: readonly Platform[] = [...PLATFORMS, ...WRAPPED_PLATFORMS, ...MIDDY_PLATFORMS];
/** These hand the query over as received (rawQueryString, originalUrl, Request.url): the padding arrives intact. */
const RAW_QUERY = /http-v2|function-url|azure|gcp|fetch/;

const FORGED_JSON = JSON.stringify({ AccountSid: accountSid(0xabc), Body: 'forged', Admin: true });
const forgedHash = createHash('sha256').update(FORGED_JSON).digest('hex');
const padding = '&'.repeat(997);

/** A GET webhook as Twilio signs it: the URL alone. */
function capturedGet(publicUrl: string): WebhookRequest {
  return signedFormRequest({
    token: CATALOGUE_TOKEN,
    url: publicUrl,
    params: { AccountSid: accountSid(0xabc), Body: 'hi', From: '+14155550100' },
    method: 'GET',
  });
}

function forgedJson(publicUrl: string): WebhookRequest {
  const captured = capturedGet(publicUrl);
  return {
    method: 'POST',
    url: `${captured.url}${padding}&bodySHA256=${forgedHash}`,
    headers: { 'content-type': 'application/json', 'x-twilio-signature': captured.headers['x-twilio-signature'] as string },
    body: FORGED_JSON,
  };
}

async function deliver(platform: Platform, request: WebhookRequest, options: WebhookOptions = {}) {
  const seen: TwilioWebhookEvent[] = [];
  let existingHandlerRan = false;
  const handler: AnyHandler = (event) => {
    // withTwilioSignature's existing handler gets an empty stand-in event: count the call, not the event.
    existingHandlerRan = true;
    seen.push(event);
    return '<Response/>';
  };
  const logger = capturingLogger();
  const response = await platform.deploy(handler, { authToken: CATALOGUE_TOKEN, logger, ...options })(request);
  return { response, logger, ran: existingHandlerRan, seen };
}

test('the oracle: twilio accepts both forged requests (so only the pipeline can refuse them)', () => {
  const url = 'https://hooks.example.com/sms';
  const forged = forgedJson(url);
  expect(twilio.validateRequestWithBody(CATALOGUE_TOKEN, forged.headers['x-twilio-signature'] as string, forged.url, FORGED_JSON)).toBe(
    true,
  );
});

test('verifySignature binds the body to the URL the signature matched (a variant without the bodySHA256 does not count)', () => {
  const forged = forgedJson('https://hooks.example.com/sms');
  const verdict = verifySignature({
    tokens: [CATALOGUE_TOKEN],
    signature: forged.headers['x-twilio-signature'] as string,
    url: forged.url,
    body: FORGED_JSON,
  });
  expect(verdict).toEqual({ valid: false, reason: 'mismatch' });
});

describe.each(ENTRY_POINTS.map((platform) => [platform.name, platform] as const))('%s', (_name, platform) => {
  test('a GET capture + 1000 pieces + bodySHA256 of any JSON never reaches the handler', async () => {
    const request = forgedJson(platform.publicUrl);
    if (platform.cannotCarry(request)) return expect(platform.cannotCarry(request)).toMatch(/query/);
    const { response, logger, ran } = await deliver(platform, request);
    expect(ran).toBe(false);
    if (RAW_QUERY.test(platform.name)) {
      expect(response.status).toBe(400);
      expect(logger.entries.filter(({ entry }) => entry.status === 400).map(({ entry }) => entry.msg)).toEqual([
        expect.stringMatching(/more than 1000 &-separated pieces/),
      ]);
    } else {
      // Payload 1.0 and ALB rebuild the query from parsed maps: the forgery no longer matches at all.
      expect([400, 403]).toContain(response.status);
    }
  });

  test('a POST capture + 1000 pieces + a second tenant= never reaches the handler', async () => {
    const signedUrl = `${platform.publicUrl}?tenant=acme`;
    const captured = signedFormRequest({ token: CATALOGUE_TOKEN, url: signedUrl, params: smsParams() });
    const request = { ...captured, url: `${signedUrl}${padding}&&&tenant=evil` };
    if (platform.cannotCarry(request)) return expect(platform.cannotCarry(request)).toMatch(/query/);
    const { response, ran } = await deliver(platform, request);
    expect(ran).toBe(false);
    expect(RAW_QUERY.test(platform.name) ? [400] : [400, 403]).toContain(response.status);
  });

  test('control: the captured GET itself is accepted', async () => {
    const request = capturedGet(platform.publicUrl);
    if (platform.cannotCarry(request)) return;
    const { response, ran } = await deliver(platform, request);
    expect(response.status).toBe(200);
    expect(ran).toBe(true);
  });
});

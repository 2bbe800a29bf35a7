/**
 * Review of issue 14: what one signed capture can and cannot be turned into, through the pipeline.
 * Held: encodings of a repeated pair, keys differing only in encoding, inherited header names, HEAD.
 * Limits of Twilio's scheme itself (the `twilio` oracle accepts them too, so they are pinned here,
 * not refused): the signed string concatenates URL, keys and values without separators and sorts
 * repeated values, so bytes can move between neighbouring keys and values, and a GET's signature is
 * also a POST's with an empty body. Handlers must not trust parameter boundaries beyond that.
 */
import twilio from 'twilio';
import { createWebhookHandler, type TwilioWebhookEvent, type WebhookRequest } from '@twiml-guard/core';
import { capturingLogger, signedFormRequest } from '@twiml-guard/test-support';
import { CATALOGUE_TOKEN } from '@twiml-guard/test-support/hardening/catalogue';

const URL0 = 'https://hooks.example.com/sms';

async function deliver(request: WebhookRequest) {
  const seen: TwilioWebhookEvent[] = [];
  const logger = capturingLogger();
  const response = await createWebhookHandler(
    (event) => {
      seen.push(event);
      return '<Response/>';
    },
    { authToken: CATALOGUE_TOKEN, logger },
  )(request);
  return { status: response.status, seen, logger };
}

const form = (params: Record<string, string | string[]>) => signedFormRequest({ token: CATALOGUE_TOKEN, url: URL0, params });
const oracleAccepts = (request: WebhookRequest, params: Record<string, string | string[]>) =>
  twilio.validateRequest(CATALOGUE_TOKEN, request.headers['x-twilio-signature'] as string, request.url, params);

describe('held', () => {
  test.each([
    ['Body=x&B%6fdy=x (the same key, encoded)', { Body: 'x' }, 'Body=x&B%6fdy=x'],
    ['Body=a+b&Body=a%20b (the same value, encoded)', { Body: 'a b' }, 'Body=a+b&Body=a%20b'],
    ['Body=%4A&Body=%4a (hex case)', { Body: 'J' }, 'Body=%4A&Body=%4a'],
    ['=&= (empty pairs)', { '': '' }, '=&='],
  ])('%s: a repeated pair is refused (400)', async (_name, params, body) => {
    const { status, seen } = await deliver({ ...form(params), body });
    expect(status).toBe(400);
    expect(seen).toHaveLength(0);
  });

  test('an X-Twilio-Signature inherited from the header map prototype is not read (400)', async () => {
    const signed = form({ Body: 'hi' });
    const headers = Object.assign(Object.create({ 'x-twilio-signature': signed.headers['x-twilio-signature'] }) as Record<string, string>, {
      'content-type': signed.headers['content-type'] as string,
    });
    const { status, seen } = await deliver({ ...signed, headers });
    expect(status).toBe(400);
    expect(seen).toHaveLength(0);
  });

  test('a GET capture sent as HEAD is 405', async () => {
    const get = signedFormRequest({ token: CATALOGUE_TOKEN, url: URL0, params: { Body: 'hi' }, method: 'GET' });
    const { status, seen } = await deliver({ ...get, method: 'HEAD' });
    expect(status).toBe(405);
    expect(seen).toHaveLength(0);
  });

  test('AccountSid repeated with two values is 400, never a joined lookup key', async () => {
    const { status, seen } = await deliver(form({ AccountSid: [`AC${'0'.repeat(31)}1`, `AC${'0'.repeat(31)}2`] }));
    expect(status).toBe(400);
    expect(seen).toHaveLength(0);
  });
});

describe("limits of Twilio's signing scheme (pinned: the oracle accepts them too)", () => {
  const signed = form({ Body: 'hi', From: '+14155550100' });

  test.each([
    ['two parameters merged into one value', { Body: 'hiFrom+14155550100' }, 'Body=hiFrom%2B14155550100'],
    ['a key boundary moved', { B: 'odyhiFrom+14155550100' }, 'B=odyhiFrom%2B14155550100'],
  ])('%s: accepted, with the parameters the sender chose', async (_name, params, body) => {
    const request = { ...signed, body };
    expect(oracleAccepts(request, params)).toBe(true);
    const { status, seen } = await deliver(request);
    expect(status).toBe(200);
    expect({ ...seen[0]?.params }).toEqual(params);
  });

  test('repeated values in another order: accepted (the signing sorts them)', async () => {
    const repeated = form({ MediaUrl: ['a', 'b'] });
    const request = { ...repeated, body: 'MediaUrl=b&MediaUrl=a' };
    expect(oracleAccepts(request, { MediaUrl: ['b', 'a'] })).toBe(true);
    const { status, seen } = await deliver(request);
    expect(status).toBe(200);
    expect(seen[0]?.params.MediaUrl).toEqual(['b', 'a']);
  });

  test('a GET capture sent as a POST with an empty form body: accepted, with no parameters', async () => {
    const get = signedFormRequest({ token: CATALOGUE_TOKEN, url: URL0, params: { Body: 'hi' }, method: 'GET' });
    const request = { ...get, method: 'POST', headers: { ...get.headers, 'content-type': 'application/x-www-form-urlencoded' } };
    expect(oracleAccepts(request, {})).toBe(true);
    const { status, seen } = await deliver(request);
    expect(status).toBe(200);
    expect(seen.map((event) => [event.method, { ...event.params }])).toEqual([['POST', {}]]);
  });
});

import { createHash } from 'node:crypto';
import fc from 'fast-check';
import twilio from 'twilio';
import { parseFormBody } from '@twiml-guard/core';
import { encodeFormBody, signTwilioRequest, type WebhookParams } from '@twiml-guard/testing';
import { decodeForm as decodeWithUrlSearchParams } from './oracle.js';

const TOKEN = '12345678901234567890123456789012';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('signTwilioRequest: form POST', () => {
  const params = { Body: 'Hi there + “quotes” & émoji 😀 = 100%', From: '+15558675310', NumMedia: 0, Empty: '', Tag: ['b', 'a', 'b'] };

  it('produces a signature twilio validates over the body as a receiver parses it', () => {
    const request = signTwilioRequest({ url: 'https://example.com/sms?x=1', params, authToken: TOKEN });
    expect(request.method).toBe('POST');
    expect(request.url).toBe('https://example.com/sms?x=1');
    const signature = request.headers['X-Twilio-Signature'] as string;
    expect(twilio.validateRequest(TOKEN, signature, request.url, parseFormBody(request.body))).toBe(true);
    expect(twilio.validateRequest(TOKEN, signature, request.url, decodeWithUrlSearchParams(request.body))).toBe(true);
    expect(twilio.validateRequest('another-token-another-token-0000', signature, request.url, parseFormBody(request.body))).toBe(false);
  });

  it('encodes like Twilio: spaces as +, UTF-8 percent-escapes, only * - . _ bare', () => {
    expect(encodeFormBody({ a: 'x y', b: '+1', c: 'é', d: "*-._~!'()", e: 'a&b=c%', f: '😀' })).toBe(
      'a=x+y&b=%2B1&c=%C3%A9&d=*-._%7E%21%27%28%29&e=a%26b%3Dc%25&f=%F0%9F%98%80',
    );
    // Repeated keys go out once per value, in order.
    expect(encodeFormBody({ Tag: ['b', 'a', 'b'] })).toBe('Tag=b&Tag=a&Tag=b');
  });

  it('round-trips every field through core parseFormBody and URLSearchParams', () => {
    const request = signTwilioRequest({ url: 'https://example.com/sms', params, authToken: TOKEN });
    const expected = { Body: params.Body, From: '+15558675310', NumMedia: '0', Empty: '', Tag: ['b', 'a', 'b'] };
    expect({ ...parseFormBody(request.body) }).toEqual(expected);
    expect(decodeWithUrlSearchParams(request.body)).toEqual(expected);
  });

  it('agrees with the twilio oracle and URLSearchParams on generated fields', () => {
    const value = fc.oneof(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' }), fc.integer(), fc.boolean());
    const fields = fc.dictionary(
      fc.string({ minLength: 1, unit: 'grapheme' }),
      fc.oneof(value, fc.array(value, { minLength: 1, maxLength: 3 })),
      { maxKeys: 6 },
    );
    fc.assert(
      fc.property(fc.oneof(fields, fc.constant({ valueOf: '', ['__proto__']: ['x', 'y'], constructor: 1 })), (generated) => {
        const request = signTwilioRequest({ url: 'https://example.com/hook', params: generated as WebhookParams, authToken: TOKEN });
        const signature = request.headers['X-Twilio-Signature'] as string;
        const parsed = parseFormBody(request.body);
        expect(decodeWithUrlSearchParams(request.body)).toEqual(parsed);
        expect(new URLSearchParams(request.body).toString()).toBe(request.body);
        return twilio.validateRequest(TOKEN, signature, request.url, parsed);
      }),
      { numRuns: 300 },
    );
  });

  it("sends Twilio's headers: a fresh idempotency UUID, TwilioProxy user agent, form content type", () => {
    const first = signTwilioRequest({ url: 'https://example.com/sms', params, authToken: TOKEN });
    const second = signTwilioRequest({ url: 'https://example.com/sms', params, authToken: TOKEN });
    expect(first.headers['I-Twilio-Idempotency-Token']).toMatch(UUID);
    expect(second.headers['I-Twilio-Idempotency-Token']).toMatch(UUID);
    expect(first.headers['I-Twilio-Idempotency-Token']).not.toBe(second.headers['I-Twilio-Idempotency-Token']);
    expect(first.headers).toMatchObject({
      'User-Agent': 'TwilioProxy/1.1',
      'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8',
      Accept: '*/*',
    });
    expect(Object.keys(first.headers).sort()).toEqual([
      'Accept',
      'Content-Type',
      'I-Twilio-Idempotency-Token',
      'User-Agent',
      'X-Twilio-Signature',
    ]);
  });

  it('uses a given idempotency token, and extra headers replace defaults whatever their case', () => {
    const request = signTwilioRequest({
      url: 'https://example.com/sms',
      authToken: TOKEN,
      idempotencyToken: 'retry-1',
      headers: { 'user-agent': 'custom', 'X-Home-Region': 'us1' },
    });
    expect(request.headers['I-Twilio-Idempotency-Token']).toBe('retry-1');
    expect(request.headers['user-agent']).toBe('custom');
    expect(request.headers['User-Agent']).toBeUndefined();
    expect(request.headers['X-Home-Region']).toBe('us1');
  });

  it('signs the URL exactly as given, port included', () => {
    const url = 'https://Example.com:8443/a b/it%27s';
    const request = signTwilioRequest({ url, params: { A: '1' }, authToken: TOKEN });
    expect(request.url).toBe(url);
    expect(request.headers['X-Twilio-Signature']).toBe(twilio.getExpectedTwilioSignature(TOKEN, url, { A: '1' }));
  });
});

describe('signTwilioRequest: GET', () => {
  it('puts the params in the query string and signs that URL with no params', () => {
    const request = signTwilioRequest({
      url: 'https://example.com/voice',
      method: 'get',
      params: { CallSid: 'CA1', Caller: 'Jane Doe' },
      authToken: TOKEN,
    });
    expect(request.method).toBe('GET');
    expect(request.url).toBe('https://example.com/voice?CallSid=CA1&Caller=Jane+Doe');
    expect(request.body).toBe('');
    expect(request.headers['Content-Type']).toBeUndefined();
    const signature = request.headers['X-Twilio-Signature'] as string;
    expect(twilio.validateRequest(TOKEN, signature, request.url, {})).toBe(true);
    expect(twilio.validateRequest(TOKEN, signature, 'https://example.com/voice', { CallSid: 'CA1', Caller: 'Jane Doe' })).toBe(false);
  });

  it('appends to an existing query with &', () => {
    const request = signTwilioRequest({
      url: 'https://example.com/voice?tenant=7',
      method: 'GET',
      params: { Digits: '1' },
      authToken: TOKEN,
    });
    expect(request.url).toBe('https://example.com/voice?tenant=7&Digits=1');
    expect(twilio.validateRequest(TOKEN, request.headers['X-Twilio-Signature'] as string, request.url, {})).toBe(true);
  });
});

describe('signTwilioRequest: JSON', () => {
  const sha256 = (text: string): string => createHash('sha256').update(Buffer.from(text, 'utf8')).digest('hex');

  it('adds bodySHA256 to the query, signs the URL alone and sends the exact text', () => {
    const text = '{ "flow": "FW1",\n  "body": "héllo" }';
    const request = signTwilioRequest({ url: 'https://example.com/studio', json: text, authToken: TOKEN });
    expect(request.body).toBe(text);
    expect(request.url).toBe(`https://example.com/studio?bodySHA256=${sha256(text)}`);
    expect(request.headers['Content-Type']).toBe('application/json');
    const signature = request.headers['X-Twilio-Signature'] as string;
    expect(twilio.validateRequestWithBody(TOKEN, signature, request.url, request.body)).toBe(true);
    expect(twilio.validateRequestWithBody(TOKEN, signature, request.url, text.replace('FW1', 'FW2'))).toBe(false);
  });

  it('serialises objects compactly and joins an existing query with &', () => {
    const request = signTwilioRequest({ url: 'https://example.com/studio?step=2', json: { a: 1, b: [true] }, authToken: TOKEN });
    expect(request.body).toBe('{"a":1,"b":[true]}');
    expect(request.url).toBe(`https://example.com/studio?step=2&bodySHA256=${sha256('{"a":1,"b":[true]}')}`);
    expect(twilio.validateRequestWithBody(TOKEN, request.headers['X-Twilio-Signature'] as string, request.url, request.body)).toBe(true);
  });
});

describe('signTwilioRequest: URL credentials and fragments', () => {
  it('removes user:pass@ from the signed and the sent URL', () => {
    const request = signTwilioRequest({ url: 'https://twilio:s%40cret@example.com/sms', params: { A: '1' }, authToken: TOKEN });
    expect(request.url).toBe('https://example.com/sms');
    const signature = request.headers['X-Twilio-Signature'] as string;
    expect(twilio.validateRequest(TOKEN, signature, 'https://example.com/sms', { A: '1' })).toBe(true);
    expect(twilio.validateRequest(TOKEN, signature, 'https://twilio:s%40cret@example.com/sms', { A: '1' })).toBe(false);
  });

  it('drops a connection-override fragment and keeps the query before it', () => {
    const request = signTwilioRequest({
      url: 'https://example.com/cb?x=1#rc=2&ct=1000',
      method: 'GET',
      params: { A: '1' },
      authToken: TOKEN,
    });
    expect(request.url).toBe('https://example.com/cb?x=1&A=1');
  });
});

describe('signTwilioRequest: refusals', () => {
  it.each([
    ['no token', { url: 'https://example.com/', authToken: '' }, /authToken/],
    ['params and json', { url: 'https://example.com/', authToken: TOKEN, params: {}, json: {} }, /either params or json/],
    ['JSON over GET', { url: 'https://example.com/', authToken: TOKEN, method: 'GET', json: {} }, /JSON webhook is a POST/],
    ['another method', { url: 'https://example.com/', authToken: TOKEN, method: 'PUT' }, /GET or POST/],
    ['a relative URL', { url: '/sms', authToken: TOKEN }, /absolute/],
    ['another scheme', { url: 'ftp://example.com/sms', authToken: TOKEN }, /http/],
    ['unserialisable JSON', { url: 'https://example.com/', authToken: TOKEN, json: () => 1 }, /JSON-serialisable/],
  ])('refuses %s', (_label, options, message) => {
    expect(() => signTwilioRequest(options)).toThrow(message);
  });
});

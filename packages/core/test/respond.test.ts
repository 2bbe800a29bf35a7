/** What a handler returns, turned into a WebhookResponse; refusals. */
import twilio from 'twilio';
import { EMPTY_TWIML, toWebhookResponse, TWIML_CONTENT_TYPE, VoiceResponse } from '@twiml-guard/core';
import { refusal } from '@twiml-guard/core/adapter';

const xml = (body: string) => ({ status: 200, headers: { 'content-type': 'text/xml; charset=utf-8' }, body });

test('TWIML_CONTENT_TYPE and the empty response', () => {
  expect(TWIML_CONTENT_TYPE).toBe('text/xml; charset=utf-8');
  expect(EMPTY_TWIML).toBe(new twilio.twiml.VoiceResponse().toString());
});

test.each([
  ['undefined', undefined, xml(EMPTY_TWIML)],
  ['null', null, xml(EMPTY_TWIML)],
  ['a string', '<Response><Hangup/></Response>', xml('<Response><Hangup/></Response>')],
  ['an empty string', '', xml('')],
  ['an object with toString()', { toString: () => '<Response/>' }, xml('<Response/>')],
  [
    'a response object',
    { status: 302, headers: { Location: 'https://a.example' } },
    { status: 302, headers: { location: 'https://a.example' }, body: '' },
  ],
  ['a response object with a body', { body: 'plain' }, xml('plain')],
  [
    'a response object with its own content type',
    { status: 200, headers: { 'CONTENT-TYPE': 'text/plain' }, body: 'ok' },
    { status: 200, headers: { 'content-type': 'text/plain' }, body: 'ok' },
  ],
  [
    'a response object with a non-string header value',
    { headers: { 'x-count': 3 as unknown as string }, body: 'x' },
    { status: 200, headers: { 'x-count': '3', 'content-type': 'text/xml; charset=utf-8' }, body: 'x' },
  ],
  ['an empty object', {}, { status: 200, headers: {}, body: '' }],
  ['a null-prototype object', Object.assign(Object.create(null) as object, { status: 201 }), { status: 201, headers: {}, body: '' }],
])('%s', (_label, result, expected) => {
  expect(toWebhookResponse(result as Parameters<typeof toWebhookResponse>[0])).toEqual(expected);
});

test("twilio's VoiceResponse and MessagingResponse serialise exactly as twilio does", () => {
  const voice = new twilio.twiml.VoiceResponse();
  voice.gather({ input: ['speech', 'dtmf'], action: '/next?a=1&b=2' }).say('Press 1');
  expect(toWebhookResponse(voice)).toEqual(xml(voice.toString()));
  const messaging = new twilio.twiml.MessagingResponse();
  messaging.message({ to: '+14155550100' }, 'a < b');
  expect(toWebhookResponse(messaging)).toEqual(xml(messaging.toString()));
});

test("core's own builder", () => {
  const voice = new VoiceResponse();
  voice.say('hi');
  expect(toWebhookResponse(voice)).toEqual(xml(voice.toString()));
});

test('refusal: plain text, short phrase, extra headers', () => {
  expect(refusal(401, 'Unauthorized', { 'www-authenticate': 'Basic realm="x"' })).toEqual({
    status: 401,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'www-authenticate': 'Basic realm="x"' },
    body: 'Unauthorized',
  });
});

describe('a handler response no platform can send is a 500, not a crash', () => {
  test.each([
    [{ status: 700, body: 'x' }],
    [{ status: 99 }],
    [{ status: 200.5 }],
    [{ headers: { 'x-a': 'a\nb' } }],
    [{ headers: { 'bad name': 'v' } }],
  ])('%j', async (result) => {
    const { createWebhookHandler } = await import('@twiml-guard/core');
    const { capturingLogger, signedFormRequest, smsParams } = await import('@twiml-guard/test-support');
    const logger = capturingLogger();
    const handle = createWebhookHandler(() => result as never, { authToken: '0123456789abcdef0123456789abcdef', logger });
    const response = await handle(
      signedFormRequest({ token: '0123456789abcdef0123456789abcdef', url: 'https://h.example/sms', params: smsParams() }),
    );
    expect(response.status).toBe(500);
    expect(logger.text()).toContain('webhook handler threw');
  });
});

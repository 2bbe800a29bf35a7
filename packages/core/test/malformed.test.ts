/**
 * A catalogue of malformed and hostile requests. Each gets its 4xx and none reaches the handler
 * (docs/design.md, rule 5: fail closed). Signatures come from the `twilio` package, so a refusal is never
 * explained by a bad signature when the case is about something else.
 */
import twilio from 'twilio';
import { createWebhookHandler, type WebhookOptions, type WebhookRequest } from '@twiml-guard/core';
import {
  accountSid,
  capturingLogger,
  FORM_CONTENT_TYPE,
  signedFormRequest,
  signedJsonRequest,
  smsParams,
  twilioSignature,
} from '@twiml-guard/test-support';

const TOKEN = 'f00df00df00df00df00df00df00df00d';
const URL = 'https://hooks.example.com/sms';
const PARAMS = smsParams();
const SIGNATURE = twilioSignature(TOKEN, URL, PARAMS);

/** A form POST whose raw body is `body`, signed over `params` (what the sender claims it meant). */
function rawForm(body: string | Uint8Array, params: Record<string, string> = {}): WebhookRequest {
  return signedFormRequest({ token: TOKEN, url: URL, params, body });
}

function withHeaders(request: WebhookRequest, headers: Record<string, string | string[] | undefined>): WebhookRequest {
  return { ...request, headers: { ...request.headers, ...headers } };
}

const valid = () => signedFormRequest({ token: TOKEN, url: URL, params: PARAMS });
const validJson = (json: unknown = { AccountSid: accountSid(3), Body: 'hi' }) => signedJsonRequest({ token: TOKEN, url: URL, json });
const basic = (text: string) => `Basic ${Buffer.from(text).toString('base64')}`;
const BASIC_AUTH = { basicAuth: { username: 'twilio', password: 'correct horse' } } satisfies WebhookOptions;

interface Case {
  readonly name: string;
  readonly request: () => WebhookRequest;
  readonly status: number;
  readonly options?: WebhookOptions;
}

const catalogue: Case[] = [
  // Percent-escapes and UTF-8 in the form body.
  { name: 'truncated percent-escape at the end of a value', request: () => rawForm('Body=abc%', { Body: 'abc%' }), status: 400 },
  { name: 'percent-escape with one hex digit', request: () => rawForm('Body=%4', { Body: '%4' }), status: 400 },
  { name: 'percent-escape with non-hex digits', request: () => rawForm('Body=%zz', { Body: '%zz' }), status: 400 },
  { name: 'malformed escape in a key', request: () => rawForm('B%G1dy=x', { 'B%G1dy': 'x' }), status: 400 },
  { name: 'invalid UTF-8 byte escaped (%FF)', request: () => rawForm('Body=%FF', { Body: '\uFFFD' }), status: 400 },
  { name: 'overlong UTF-8 encoding of "/" (%C0%AF)', request: () => rawForm('Body=%C0%AF', { Body: '\uFFFD\uFFFD' }), status: 400 },
  {
    name: 'UTF-8 encoded lone surrogate (%ED%A0%80)',
    request: () => rawForm('Body=%ED%A0%80', { Body: '\uFFFD\uFFFD\uFFFD' }),
    status: 400,
  },
  { name: 'truncated multi-byte sequence (%E2%82)', request: () => rawForm('Body=%E2%82', { Body: '\uFFFD' }), status: 400 },
  {
    name: 'raw invalid UTF-8 bytes in a binary body',
    request: () => rawForm(new Uint8Array([0x42, 0x6f, 0x64, 0x79, 0x3d, 0xff, 0xfe]), { Body: '\uFFFD\uFFFD' }),
    status: 400,
  },

  // The signature header.
  { name: 'no X-Twilio-Signature header', request: () => withHeaders(valid(), { 'x-twilio-signature': undefined }), status: 400 },
  { name: 'empty X-Twilio-Signature', request: () => withHeaders(valid(), { 'x-twilio-signature': '' }), status: 400 },
  { name: 'X-Twilio-Signature as an empty list', request: () => withHeaders(valid(), { 'x-twilio-signature': [] }), status: 400 },
  {
    name: 'duplicate X-Twilio-Signature headers with different values',
    request: () => withHeaders(valid(), { 'x-twilio-signature': [SIGNATURE, twilioSignature('other', URL, PARAMS)] }),
    status: 400,
  },
  {
    name: 'duplicate signatures joined by a proxy into one comma list',
    request: () => withHeaders(valid(), { 'x-twilio-signature': `${SIGNATURE}, ${SIGNATURE}` }),
    status: 403,
  },
  { name: 'signature one character short', request: () => withHeaders(valid(), { 'x-twilio-signature': SIGNATURE.slice(1) }), status: 403 },
  { name: 'signature one character too long', request: () => withHeaders(valid(), { 'x-twilio-signature': `${SIGNATURE}A` }), status: 403 },
  {
    name: 'non-base64 signature of the right length',
    request: () => withHeaders(valid(), { 'x-twilio-signature': `${'!'.repeat(27)}=` }),
    status: 403,
  },
  {
    name: 'signature with surrounding whitespace',
    request: () => withHeaders(valid(), { 'x-twilio-signature': ` ${SIGNATURE} ` }),
    status: 403,
  },
  {
    name: 'hex HMAC instead of base64',
    request: () => withHeaders(valid(), { 'x-twilio-signature': Buffer.from(SIGNATURE, 'base64').toString('hex') }),
    status: 403,
  },
  {
    name: 'signature over another URL',
    request: () => withHeaders(valid(), { 'x-twilio-signature': twilioSignature(TOKEN, 'https://hooks.example.com/voice', PARAMS) }),
    status: 403,
  },
  {
    name: 'signature by another token',
    request: () => signedFormRequest({ token: 'ffffffffffffffffffffffffffffffff', url: URL, params: PARAMS }),
    status: 403,
  },
  {
    name: 'a parameter value tampered with',
    request: () =>
      signedFormRequest({
        token: TOKEN,
        url: URL,
        params: PARAMS,
        body: new URLSearchParams({ ...(PARAMS as Record<string, string>), Body: 'pay $1000' }).toString(),
      }),
    status: 403,
  },
  {
    name: 'a parameter injected',
    request: () =>
      signedFormRequest({
        token: TOKEN,
        url: URL,
        params: PARAMS,
        body: `${new URLSearchParams(PARAMS as Record<string, string>).toString()}&Admin=true`,
      }),
    status: 403,
  },
  {
    name: 'empty body with a signature made for params',
    request: () => signedFormRequest({ token: TOKEN, url: URL, params: PARAMS, body: '' }),
    status: 403,
  },

  // Body size and content types.
  {
    name: 'oversize body (64 KiB + 1)',
    request: () => rawForm(`Body=${'x'.repeat(64 * 1024 - 4)}`, { Body: 'x'.repeat(64 * 1024 - 4) }),
    status: 413,
  },
  { name: 'unknown content type (text/plain)', request: () => withHeaders(valid(), { 'content-type': 'text/plain' }), status: 415 },
  { name: 'multipart/form-data', request: () => withHeaders(valid(), { 'content-type': 'multipart/form-data; boundary=x' }), status: 415 },
  { name: 'application/xml', request: () => withHeaders(valid(), { 'content-type': 'application/xml' }), status: 415 },
  { name: 'no content type with a body', request: () => withHeaders(valid(), { 'content-type': undefined }), status: 415 },

  // JSON webhooks.
  {
    name: 'JSON with a wrong bodySHA256',
    request: () => ({ ...validJson(), url: validJson().url.replace(/bodySHA256=[0-9a-f]+/, `bodySHA256=${'0'.repeat(64)}`) }),
    status: 403,
  },
  {
    name: 'JSON body altered after hashing (signature still valid for the URL)',
    request: () => ({ ...validJson(), body: '{"AccountSid":"AC00000000000000000000000000000003","Body":"HI"}' }),
    status: 403,
  },
  {
    name: 'JSON bodySHA256 in upper-case hex',
    request: () => {
      const request = validJson();
      const url = request.url.replace(/bodySHA256=([0-9a-f]+)/, (_all, hash: string) => `bodySHA256=${hash.toUpperCase()}`);
      return { ...request, url, headers: { ...request.headers, 'x-twilio-signature': twilioSignature(TOKEN, url) } };
    },
    status: 403,
  },
  { name: 'bodySHA256 in the URL but an empty body', request: () => ({ ...validJson(), body: '' }), status: 400 },
  {
    name: 'bodySHA256 in the URL with a form body',
    request: () => withHeaders(validJson(), { 'content-type': FORM_CONTENT_TYPE }),
    status: 415,
  },
  {
    name: 'JSON without bodySHA256 in the URL',
    request: () =>
      withHeaders(signedFormRequest({ token: TOKEN, url: URL, body: '{"Body":"hi"}' }), { 'content-type': 'application/json' }),
    status: 400,
  },
  { name: 'JSON that does not parse (hash and signature valid)', request: () => validJson('{"AccountSid": "AC'), status: 400 },
  { name: 'JSON with a malformed AccountSid', request: () => validJson({ AccountSid: 'AC../../etc/passwd' }), status: 400 },

  // GET webhooks: the query is signed as part of the URL.
  {
    name: 'GET with a tampered query',
    request: () => {
      const request = signedFormRequest({ token: TOKEN, url: URL, params: PARAMS, method: 'GET' });
      return { ...request, url: request.url.replace('Body=', 'Body=X') };
    },
    status: 403,
  },
  {
    name: 'GET whose URL carries a fragment (what the handler would read differs from what was signed)',
    request: () => {
      const signed = `${URL}?Digits=1%23&Caller=%2B15551234567`;
      return {
        method: 'GET',
        url: `${URL}?Digits=1#&Caller=%2B15551234567`,
        headers: { 'x-twilio-signature': twilioSignature(TOKEN, signed) },
        body: '',
      };
    },
    status: 400,
  },
  {
    name: 'a tab in the query (hides bodySHA256 from a raw reading; URL parsers drop it)',
    request: () => {
      const signed = `${URL}?bodySHA256=${'a'.repeat(64)}`;
      return {
        method: 'POST',
        url: `${URL}?body\tSHA256=${'a'.repeat(64)}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilioSignature(TOKEN, signed) },
        body: '=',
      };
    },
    status: 400,
  },

  // AccountSid.
  {
    name: 'malformed AccountSid (31 hex digits)',
    request: () => signedFormRequest({ token: TOKEN, url: URL, params: smsParams({ AccountSid: `AC${'1'.repeat(31)}` }) }),
    status: 400,
  },
  {
    name: 'AccountSid repeated with two values',
    request: () => signedFormRequest({ token: TOKEN, url: URL, params: smsParams({ AccountSid: [accountSid(1), accountSid(2)] }) }),
    status: 400,
  },

  // Methods.
  { name: 'method PUT', request: () => ({ ...valid(), method: 'PUT' }), status: 405 },
  { name: 'method DELETE', request: () => ({ ...valid(), method: 'DELETE' }), status: 405 },
  { name: 'method PATCH', request: () => ({ ...valid(), method: 'PATCH' }), status: 405 },
  { name: 'method OPTIONS', request: () => ({ ...valid(), method: 'OPTIONS' }), status: 405 },

  // Basic auth.
  { name: 'Basic auth: no Authorization header', request: valid, status: 401, options: BASIC_AUTH },
  {
    name: 'Basic auth: header garbage',
    request: () => withHeaders(valid(), { authorization: 'Basic !!!not-base64!!!' }),
    status: 401,
    options: BASIC_AUTH,
  },
  {
    name: 'Basic auth: credentials without a colon',
    request: () => withHeaders(valid(), { authorization: basic('twilio') }),
    status: 401,
    options: BASIC_AUTH,
  },
  {
    name: 'Basic auth: Bearer scheme',
    request: () => withHeaders(valid(), { authorization: 'Bearer abc.def.ghi' }),
    status: 401,
    options: BASIC_AUTH,
  },
  {
    name: 'Basic auth: scheme without credentials',
    request: () => withHeaders(valid(), { authorization: 'Basic' }),
    status: 401,
    options: BASIC_AUTH,
  },
  {
    name: 'Basic auth: wrong password',
    request: () => withHeaders(valid(), { authorization: basic('twilio:correct horse ') }),
    status: 401,
    options: BASIC_AUTH,
  },
  {
    name: 'Basic auth: right credentials, forged signature',
    request: () =>
      withHeaders(valid(), { authorization: basic('twilio:correct horse'), 'x-twilio-signature': twilioSignature('x', URL, PARAMS) }),
    status: 403,
    options: BASIC_AUTH,
  },
];

test('the catalogue holds at least 30 cases', () => {
  expect(catalogue.length).toBeGreaterThanOrEqual(30);
});

test.each(catalogue.map((entry) => [entry.name, entry] as const))('%s', async (_name, entry) => {
  const handler = jest.fn(() => '<Response/>');
  const logger = capturingLogger();
  const handle = createWebhookHandler(handler, { authToken: TOKEN, logger, ...entry.options });
  const response = await handle(entry.request());
  expect(response.status).toBe(entry.status);
  expect(handler).not.toHaveBeenCalled();
  // Short, generic body; the reason is in exactly one log line.
  expect(response.body.length).toBeLessThan(40);
  expect(response.headers['content-type']).toBe('text/plain; charset=utf-8');
  const rejections = logger.entries.filter(({ entry: line }) => line.status === entry.status);
  expect(rejections).toHaveLength(1);
});

test('control: the unmodified requests the catalogue starts from are accepted', async () => {
  const handler = jest.fn(() => '<Response/>');
  const handle = createWebhookHandler(handler, { authToken: TOKEN, logger: capturingLogger() });
  expect((await handle(valid())).status).toBe(200);
  expect((await handle(validJson())).status).toBe(200);
  expect((await handle(signedFormRequest({ token: TOKEN, url: URL, params: PARAMS, method: 'GET' }))).status).toBe(200);
  const withBasic = createWebhookHandler(handler, { authToken: TOKEN, logger: capturingLogger(), ...BASIC_AUTH });
  expect((await withBasic(withHeaders(valid(), { authorization: basic('twilio:correct horse') }))).status).toBe(200);
  expect(handler).toHaveBeenCalledTimes(4);
  expect(twilio.validateRequest(TOKEN, SIGNATURE, URL, PARAMS)).toBe(true);
});

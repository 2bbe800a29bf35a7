/**
 * The core's catalogue of malformed and hostile webhook requests (packages/core/test/malformed.test.ts),
 * reproduced as platform-neutral wire requests for any public URL, so every adapter can be fed the
 * same cases through its own request shape. Signatures come from the `twilio` package (the oracle),
 * so a refusal is never explained by a bad signature when the case is about something else.
 */
import type { WebhookOptions, WebhookRequest } from '@twiml-guard/core';
import { accountSid, FORM_CONTENT_TYPE, signedFormRequest, signedJsonRequest, smsParams, twilioSignature } from '../index.js';

export const CATALOGUE_TOKEN = 'f00df00df00df00df00df00df00df00d';
export const BASIC_AUTH = { basicAuth: { username: 'twilio', password: 'correct horse' } } satisfies WebhookOptions;

/** What the request is about, so a platform can say which cases its request shape cannot carry. */
export type CaseTopic =
  | 'form-bytes'
  | 'signature-header'
  | 'tampering'
  | 'size-and-type'
  | 'json'
  | 'get-query'
  | 'account-sid'
  | 'method'
  | 'basic-auth';

export interface CatalogueCase {
  readonly name: string;
  readonly topic: CaseTopic;
  /** What arrives on the wire, for the URL Twilio called. */
  readonly request: WebhookRequest;
  /** The core's answer. */
  readonly status: number;
  readonly options?: WebhookOptions;
  /** Set when the case sends two different X-Twilio-Signature header lines (platforms that fold headers see one comma list). */
  readonly repeatedSignatureHeader?: true;
  /** The raw body is not valid UTF-8 (needs base64 on Lambda). */
  readonly binaryBody?: true;
}

export interface Controls {
  readonly form: WebhookRequest;
  readonly json: WebhookRequest;
  readonly get: WebhookRequest;
  readonly basicAuth: { readonly request: WebhookRequest; readonly options: WebhookOptions };
}

const basic = (text: string) => `Basic ${Buffer.from(text).toString('base64')}`;

function withHeaders(request: WebhookRequest, headers: Record<string, string | string[] | undefined>): WebhookRequest {
  return { ...request, headers: { ...request.headers, ...headers } };
}

/** The unmodified requests the catalogue starts from; each platform must accept them (200). */
export function controls(url: string): Controls {
  const params = smsParams();
  const valid = signedFormRequest({ token: CATALOGUE_TOKEN, url, params });
  return {
    form: valid,
    json: signedJsonRequest({ token: CATALOGUE_TOKEN, url, json: { AccountSid: accountSid(3), Body: 'hi' } }),
    get: signedFormRequest({ token: CATALOGUE_TOKEN, url, params, method: 'GET' }),
    basicAuth: { request: withHeaders(valid, { authorization: basic('twilio:correct horse') }), options: BASIC_AUTH },
  };
}

/** The catalogue for a function whose public URL is `url` (no query). */
export function catalogue(url: string): CatalogueCase[] {
  const params = smsParams();
  const signature = twilioSignature(CATALOGUE_TOKEN, url, params);
  const valid = () => signedFormRequest({ token: CATALOGUE_TOKEN, url, params });
  const rawForm = (body: string | Uint8Array, signedParams: Record<string, string> = {}) =>
    signedFormRequest({ token: CATALOGUE_TOKEN, url, params: signedParams, body });
  const validJson = (json: unknown = { AccountSid: accountSid(3), Body: 'hi' }) => signedJsonRequest({ token: CATALOGUE_TOKEN, url, json });
  const form = (record: Record<string, string | string[]>) => new URLSearchParams(record as Record<string, string>).toString();

  const cases: CatalogueCase[] = [
    // Percent-escapes and UTF-8 in the form body.
    {
      topic: 'form-bytes',
      name: 'truncated percent-escape at the end of a value',
      request: rawForm('Body=abc%', { Body: 'abc%' }),
      status: 400,
    },
    { topic: 'form-bytes', name: 'percent-escape with one hex digit', request: rawForm('Body=%4', { Body: '%4' }), status: 400 },
    { topic: 'form-bytes', name: 'percent-escape with non-hex digits', request: rawForm('Body=%zz', { Body: '%zz' }), status: 400 },
    { topic: 'form-bytes', name: 'malformed escape in a key', request: rawForm('B%G1dy=x', { 'B%G1dy': 'x' }), status: 400 },
    { topic: 'form-bytes', name: 'invalid UTF-8 byte escaped (%FF)', request: rawForm('Body=%FF', { Body: '\uFFFD' }), status: 400 },
    {
      topic: 'form-bytes',
      name: 'overlong UTF-8 encoding of "/" (%C0%AF)',
      request: rawForm('Body=%C0%AF', { Body: '\uFFFD\uFFFD' }),
      status: 400,
    },
    {
      topic: 'form-bytes',
      name: 'UTF-8 encoded lone surrogate (%ED%A0%80)',
      request: rawForm('Body=%ED%A0%80', { Body: '\uFFFD\uFFFD\uFFFD' }),
      status: 400,
    },
    {
      topic: 'form-bytes',
      name: 'truncated multi-byte sequence (%E2%82)',
      request: rawForm('Body=%E2%82', { Body: '\uFFFD' }),
      status: 400,
    },
    {
      topic: 'form-bytes',
      name: 'raw invalid UTF-8 bytes in a binary body',
      request: rawForm(new Uint8Array([0x42, 0x6f, 0x64, 0x79, 0x3d, 0xff, 0xfe]), { Body: '\uFFFD\uFFFD' }),
      status: 400,
      binaryBody: true,
    },

    // The signature header.
    {
      topic: 'signature-header',
      name: 'no X-Twilio-Signature header',
      request: withHeaders(valid(), { 'x-twilio-signature': undefined }),
      status: 400,
    },
    {
      topic: 'signature-header',
      name: 'empty X-Twilio-Signature',
      request: withHeaders(valid(), { 'x-twilio-signature': '' }),
      status: 400,
    },
    {
      topic: 'signature-header',
      name: 'X-Twilio-Signature as an empty list',
      request: withHeaders(valid(), { 'x-twilio-signature': [] }),
      status: 400,
    },
    {
      topic: 'signature-header',
      name: 'duplicate X-Twilio-Signature headers with different values',
      request: withHeaders(valid(), { 'x-twilio-signature': [signature, twilioSignature('other', url, params)] }),
      status: 400,
      repeatedSignatureHeader: true,
    },
    {
      topic: 'signature-header',
      name: 'duplicate signatures joined by a proxy into one comma list',
      request: withHeaders(valid(), { 'x-twilio-signature': `${signature}, ${signature}` }),
      status: 403,
    },
    {
      topic: 'signature-header',
      name: 'signature one character short',
      request: withHeaders(valid(), { 'x-twilio-signature': signature.slice(1) }),
      status: 403,
    },
    {
      topic: 'signature-header',
      name: 'signature one character too long',
      request: withHeaders(valid(), { 'x-twilio-signature': `${signature}A` }),
      status: 403,
    },
    {
      topic: 'signature-header',
      name: 'non-base64 signature of the right length',
      request: withHeaders(valid(), { 'x-twilio-signature': `${'!'.repeat(27)}=` }),
      status: 403,
    },
    {
      topic: 'signature-header',
      name: 'signature with surrounding whitespace',
      request: withHeaders(valid(), { 'x-twilio-signature': ` ${signature} ` }),
      status: 403,
    },
    {
      topic: 'signature-header',
      name: 'hex HMAC instead of base64',
      request: withHeaders(valid(), { 'x-twilio-signature': Buffer.from(signature, 'base64').toString('hex') }),
      status: 403,
    },
    {
      topic: 'signature-header',
      name: 'signature over another URL',
      request: withHeaders(valid(), { 'x-twilio-signature': twilioSignature(CATALOGUE_TOKEN, `${url}-other`, params) }),
      status: 403,
    },
    {
      topic: 'signature-header',
      name: 'signature by another token',
      request: signedFormRequest({ token: 'ffffffffffffffffffffffffffffffff', url, params }),
      status: 403,
    },

    // Tampering.
    {
      topic: 'tampering',
      name: 'a parameter value tampered with',
      request: signedFormRequest({ token: CATALOGUE_TOKEN, url, params, body: form({ ...params, Body: 'pay $1000' }) }),
      status: 403,
    },
    {
      topic: 'tampering',
      name: 'a parameter injected',
      request: signedFormRequest({ token: CATALOGUE_TOKEN, url, params, body: `${form(params)}&Admin=true` }),
      status: 403,
    },
    {
      topic: 'tampering',
      name: 'empty body with a signature made for params',
      request: signedFormRequest({ token: CATALOGUE_TOKEN, url, params, body: '' }),
      status: 403,
    },

    // Body size and content types.
    {
      topic: 'size-and-type',
      name: 'oversize body (64 KiB + 1)',
      request: rawForm(`Body=${'x'.repeat(64 * 1024 - 4)}`, { Body: 'x'.repeat(64 * 1024 - 4) }),
      status: 413,
    },
    {
      topic: 'size-and-type',
      name: 'unknown content type (text/plain)',
      request: withHeaders(valid(), { 'content-type': 'text/plain' }),
      status: 415,
    },
    {
      topic: 'size-and-type',
      name: 'multipart/form-data',
      request: withHeaders(valid(), { 'content-type': 'multipart/form-data; boundary=x' }),
      status: 415,
    },
    { topic: 'size-and-type', name: 'application/xml', request: withHeaders(valid(), { 'content-type': 'application/xml' }), status: 415 },
    {
      topic: 'size-and-type',
      name: 'no content type with a body',
      request: withHeaders(valid(), { 'content-type': undefined }),
      status: 415,
    },

    // JSON webhooks.
    {
      topic: 'json',
      name: 'JSON with a wrong bodySHA256',
      request: { ...validJson(), url: validJson().url.replace(/bodySHA256=[0-9a-f]+/, `bodySHA256=${'0'.repeat(64)}`) },
      status: 403,
    },
    {
      topic: 'json',
      name: 'JSON body altered after hashing (signature still valid for the URL)',
      request: { ...validJson(), body: '{"AccountSid":"AC00000000000000000000000000000003","Body":"HI"}' },
      status: 403,
    },
    {
      topic: 'json',
      name: 'JSON bodySHA256 in upper-case hex',
      request: (() => {
        const request = validJson();
        const upper = request.url.replace(/bodySHA256=([0-9a-f]+)/, (_all, hash: string) => `bodySHA256=${hash.toUpperCase()}`);
        return { ...request, url: upper, headers: { ...request.headers, 'x-twilio-signature': twilioSignature(CATALOGUE_TOKEN, upper) } };
      })(),
      status: 403,
    },
    { topic: 'json', name: 'bodySHA256 in the URL but an empty body', request: { ...validJson(), body: '' }, status: 400 },
    {
      topic: 'json',
      name: 'bodySHA256 in the URL with a form body',
      request: withHeaders(validJson(), { 'content-type': FORM_CONTENT_TYPE }),
      status: 415,
    },
    {
      topic: 'json',
      name: 'JSON without bodySHA256 in the URL',
      request: withHeaders(signedFormRequest({ token: CATALOGUE_TOKEN, url, body: '{"Body":"hi"}' }), {
        'content-type': 'application/json',
      }),
      status: 400,
    },
    { topic: 'json', name: 'JSON that does not parse (hash and signature valid)', request: validJson('{"AccountSid": "AC'), status: 400 },
    { topic: 'json', name: 'JSON with a malformed AccountSid', request: validJson({ AccountSid: 'AC../../etc/passwd' }), status: 400 },

    // GET webhooks: the query is signed as part of the URL.
    {
      topic: 'get-query',
      name: 'GET with a tampered query',
      request: (() => {
        const request = signedFormRequest({ token: CATALOGUE_TOKEN, url, params, method: 'GET' });
        return { ...request, url: request.url.replace('Body=', 'Body=X') };
      })(),
      status: 403,
    },
    // (A signed GET whose query is not clean form encoding is accepted: the URL is what Twilio signed.)

    // AccountSid.
    {
      topic: 'account-sid',
      name: 'malformed AccountSid (31 hex digits)',
      request: signedFormRequest({ token: CATALOGUE_TOKEN, url, params: smsParams({ AccountSid: `AC${'1'.repeat(31)}` }) }),
      status: 400,
    },
    {
      topic: 'account-sid',
      name: 'AccountSid repeated with two values',
      request: signedFormRequest({ token: CATALOGUE_TOKEN, url, params: smsParams({ AccountSid: [accountSid(1), accountSid(2)] }) }),
      status: 400,
    },

    // Methods.
    ...['PUT', 'DELETE', 'PATCH', 'OPTIONS'].map(
      (method): CatalogueCase => ({ topic: 'method', name: `method ${method}`, request: { ...valid(), method }, status: 405 }),
    ),

    // Basic auth.
    { topic: 'basic-auth', name: 'Basic auth: no Authorization header', request: valid(), status: 401, options: BASIC_AUTH },
    {
      topic: 'basic-auth',
      name: 'Basic auth: header garbage',
      request: withHeaders(valid(), { authorization: 'Basic !!!not-base64!!!' }),
      status: 401,
      options: BASIC_AUTH,
    },
    {
      topic: 'basic-auth',
      name: 'Basic auth: credentials without a colon',
      request: withHeaders(valid(), { authorization: basic('twilio') }),
      status: 401,
      options: BASIC_AUTH,
    },
    {
      topic: 'basic-auth',
      name: 'Basic auth: Bearer scheme',
      request: withHeaders(valid(), { authorization: 'Bearer abc.def.ghi' }),
      status: 401,
      options: BASIC_AUTH,
    },
    {
      topic: 'basic-auth',
      name: 'Basic auth: scheme without credentials',
      request: withHeaders(valid(), { authorization: 'Basic' }),
      status: 401,
      options: BASIC_AUTH,
    },
    {
      topic: 'basic-auth',
      name: 'Basic auth: wrong password',
      request: withHeaders(valid(), { authorization: basic('twilio:correct horse ') }),
      status: 401,
      options: BASIC_AUTH,
    },
    {
      topic: 'basic-auth',
      name: 'Basic auth: right credentials, forged signature',
      request: withHeaders(valid(), {
        authorization: basic('twilio:correct horse'),
        'x-twilio-signature': twilioSignature('x', url, params),
      }),
      status: 403,
      options: BASIC_AUTH,
    },
  ];
  return cases;
}

/** Header lines as they go on the wire: lower-case names, absent and empty-list headers dropped, lists as repeated lines. */
export function headerLines(request: WebhookRequest): [string, string][] {
  const lines: [string, string][] = [];
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined) continue;
    for (const item of typeof value === 'string' ? [value] : value) lines.push([name.toLowerCase(), item]);
  }
  return lines;
}

/** Repeated header lines folded into one comma-separated value, as Fetch `Headers`, undici and Node's parser do. */
export function foldedHeaders(request: WebhookRequest, separator = ', '): Record<string, string> {
  const folded = Object.create(null) as Record<string, string>;
  for (const [name, value] of headerLines(request)) folded[name] = name in folded ? `${folded[name]}${separator}${value}` : value;
  return folded;
}

export function bodyBytes(request: WebhookRequest): Buffer {
  return typeof request.body === 'string' ? Buffer.from(request.body, 'utf8') : Buffer.from(request.body);
}

/** `https://host[:port]/path?query` → its parts, by string surgery (the URL is a string, never a `URL`). */
export function urlParts(url: string): { origin: string; host: string; path: string; query: string } {
  const match = /^(https?:\/\/)([^/?#]+)([^?#]*)(?:\?([^#]*))?/.exec(url);
  if (!match) throw new Error(`not an absolute URL: ${url}`);
  return { origin: `${match[1]}${match[2]}`, host: match[2] ?? '', path: match[3] || '/', query: match[4] ?? '' };
}

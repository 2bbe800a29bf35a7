/**
 * Builds core `WebhookRequest`s the way Twilio sends them, signed by the `twilio` package (the
 * oracle), so a test never trusts our own signer to check our own validator.
 */
import twilio from 'twilio';
import type { WebhookRequest } from '@twiml-guard/core';

export type Params = Record<string, string | string[]>;
type Headers = Record<string, string | string[]>;

export const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded; charset=utf-8';

/** A syntactically valid AccountSid (`AC` + 32 hex digits), distinct per seed. */
export function accountSid(seed = 0): string {
  return `AC${seed.toString(16).padStart(32, '0')}`;
}

/** A realistic 12-parameter inbound SMS webhook. */
export function smsParams(overrides: Params = {}): Params {
  return {
    ToCountry: 'US',
    ToState: 'CA',
    SmsMessageSid: 'SM0123456789abcdef0123456789abcdef',
    NumMedia: '0',
    ToCity: 'SAN FRANCISCO',
    FromZip: '94105',
    SmsSid: 'SM0123456789abcdef0123456789abcdef',
    FromState: 'CA',
    From: '+14155550100',
    Body: "Hello & welcome, it's 100% ünïcödé 👋",
    AccountSid: accountSid(0xabc),
    To: '+14155550199',
    ...overrides,
  };
}

/** `application/x-www-form-urlencoded` as Twilio writes it: UTF-8, space as `+`, repeated keys for arrays. */
export function encodeForm(params: Params): string {
  const encode = (text: string) => encodeURIComponent(text).replace(/%20/g, '+');
  const pairs: string[] = [];
  for (const [key, value] of Object.entries(params)) {
    for (const item of Array.isArray(value) ? value : [value]) pairs.push(`${encode(key)}=${encode(item)}`);
  }
  return pairs.join('&');
}

/** The `twilio` package's signature: the oracle. */
export function twilioSignature(token: string, url: string, params: Params = {}): string {
  return twilio.getExpectedTwilioSignature(token, url, params);
}

export interface SignedFormInput {
  readonly token: string;
  /** The URL Twilio calls and signs (for GET, without the query: `params` are appended). */
  readonly url: string;
  readonly params?: Params;
  readonly method?: 'POST' | 'GET';
  /** Sign this URL instead of `url` (the configured URL differs from what the function sees). */
  readonly signedUrl?: string;
  /** Extra headers; they win over the defaults. */
  readonly headers?: Headers;
  /** The raw body sent, when it must differ from the encoded params (tampering tests). */
  readonly body?: string | Uint8Array;
  readonly alternateUrls?: WebhookRequest['alternateUrls'];
}

/** A form (POST) or query (GET) webhook, signed like Twilio signs it. */
export function signedFormRequest(input: SignedFormInput): WebhookRequest {
  const params = input.params ?? {};
  const method = input.method ?? 'POST';
  if (method === 'GET') {
    const query = encodeForm(params);
    const withQuery = (url: string) => (query ? `${url}${url.includes('?') ? '&' : '?'}${query}` : url);
    const url = withQuery(input.url);
    const signature = twilioSignature(input.token, input.signedUrl ? withQuery(input.signedUrl) : url, {});
    return {
      method,
      url,
      headers: { 'x-twilio-signature': signature, ...input.headers },
      body: input.body ?? '',
      ...(input.alternateUrls ? { alternateUrls: input.alternateUrls } : {}),
    };
  }
  return {
    method,
    url: input.url,
    headers: {
      'content-type': FORM_CONTENT_TYPE,
      'x-twilio-signature': twilioSignature(input.token, input.signedUrl ?? input.url, params),
      ...input.headers,
    },
    body: input.body ?? encodeForm(params),
    ...(input.alternateUrls ? { alternateUrls: input.alternateUrls } : {}),
  };
}

export interface SignedJsonInput {
  readonly token: string;
  readonly url: string;
  /** The raw JSON text (kept byte for byte) or a value to serialise. */
  readonly json: string | unknown;
  readonly headers?: Headers;
  /** The raw body sent, when it must differ from what was hashed (tampering tests). */
  readonly body?: string | Uint8Array;
}

/** A JSON webhook: `bodySHA256` of the raw body in the URL, the URL alone signed. */
export function signedJsonRequest(input: SignedJsonInput): WebhookRequest & { readonly url: string } {
  const raw = typeof input.json === 'string' ? input.json : JSON.stringify(input.json);
  const url = `${input.url}${input.url.includes('?') ? '&' : '?'}bodySHA256=${twilio.getExpectedBodyHash(raw)}`;
  return {
    method: 'POST',
    url,
    headers: { 'content-type': 'application/json', 'x-twilio-signature': twilioSignature(input.token, url, {}), ...input.headers },
    body: input.body ?? raw,
  };
}

/**
 * A webhook request exactly as Twilio sends it: the body encoded like Twilio's, the URL without
 * credentials, and the headers Twilio adds, `X-Twilio-Signature` computed by core's signer.
 */
import { randomUUID } from 'node:crypto';
import { getExpectedBodyHash, getExpectedTwilioSignature } from '@twiml-guard/core';
import { encodeFormBody, signedParams, type WebhookParams } from './form-encoding.js';
import { appendQuery, splitUrlCredentials } from './url-parts.js';

export const TWILIO_USER_AGENT = 'TwilioProxy/1.1';
export const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded; charset=utf-8';
export const JSON_CONTENT_TYPE = 'application/json';

export type WebhookMethod = 'GET' | 'POST';

export interface SignTwilioRequestOptions {
  /** The webhook URL as configured in Twilio; `user:pass@` in it is used for auth, never signed or sent. */
  readonly url: string;
  /** Default `POST`. For `GET`, params go into the query string. */
  readonly method?: string;
  /** Form fields (POST body, or GET query). */
  readonly params?: WebhookParams;
  /** A JSON webhook (Studio "Make HTTP Request"): a string is sent byte for byte, anything else is `JSON.stringify`-ed. */
  readonly json?: unknown;
  readonly authToken: string;
  /** `I-Twilio-Idempotency-Token`; a random UUID unless given (Twilio repeats it on retries). */
  readonly idempotencyToken?: string;
  /** Extra headers; a name that matches a default one (any case) replaces it. */
  readonly headers?: Readonly<Record<string, string>>;
}

export interface SignedTwilioRequest {
  /** The URL sent and signed: no credentials, no fragment; for GET it carries the params, for JSON `bodySHA256`. */
  readonly url: string;
  readonly method: WebhookMethod;
  readonly headers: Record<string, string>;
  /** The exact body text; empty for GET. */
  readonly body: string;
}

export function signTwilioRequest(options: SignTwilioRequestOptions): SignedTwilioRequest {
  const method = webhookMethod(options.method);
  if (typeof options.authToken !== 'string' || options.authToken === '') throw new TypeError('signTwilioRequest needs an authToken.');
  if (options.json !== undefined && options.params !== undefined) throw new TypeError('Pass either params or json, not both.');
  if (options.json !== undefined && method === 'GET') throw new TypeError('A JSON webhook is a POST; GET carries its params in the query.');
  const { url: bareUrl } = splitUrlCredentials(options.url);

  let url: string;
  let body: string;
  let signature: string;
  let contentType: string | undefined;
  if (options.json !== undefined) {
    body = jsonText(options.json);
    // Twilio binds the JSON body to the URL through its hash and signs the URL alone.
    url = appendQuery(bareUrl, `bodySHA256=${getExpectedBodyHash(body)}`);
    signature = getExpectedTwilioSignature(options.authToken, url, {});
    contentType = JSON_CONTENT_TYPE;
  } else if (method === 'GET') {
    body = '';
    url = appendQuery(bareUrl, encodeFormBody(options.params ?? {}));
    signature = getExpectedTwilioSignature(options.authToken, url, {});
  } else {
    const params = options.params ?? {};
    body = encodeFormBody(params);
    url = bareUrl;
    signature = getExpectedTwilioSignature(options.authToken, url, signedParams(params));
    contentType = FORM_CONTENT_TYPE;
  }

  const headers: Record<string, string> = {
    'X-Twilio-Signature': signature,
    'I-Twilio-Idempotency-Token': options.idempotencyToken ?? randomUUID(),
    'User-Agent': TWILIO_USER_AGENT,
    Accept: '*/*',
  };
  if (contentType !== undefined) headers['Content-Type'] = contentType;
  return { url, method, headers: mergeHeaders(headers, options.headers ?? {}), body };
}

/** `extra` wins over `base`, names compared case-insensitively, the extra's spelling kept. */
export function mergeHeaders(base: Readonly<Record<string, string>>, extra: Readonly<Record<string, string>>): Record<string, string> {
  const merged: Record<string, string> = { ...base };
  for (const [name, value] of Object.entries(extra)) {
    for (const existing of Object.keys(merged)) {
      if (existing.toLowerCase() === name.toLowerCase()) delete merged[existing];
    }
    merged[name] = value;
  }
  return merged;
}

function webhookMethod(method: string | undefined): WebhookMethod {
  const upper = (method ?? 'POST').toUpperCase();
  if (upper !== 'GET' && upper !== 'POST') throw new TypeError(`Twilio webhooks are GET or POST, not ${method}.`);
  return upper;
}

function jsonText(json: unknown): string {
  if (typeof json === 'string') return json;
  const text = JSON.stringify(json);
  if (text === undefined) throw new TypeError('The json option must be JSON-serialisable.');
  return text;
}

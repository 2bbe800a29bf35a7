/**
 * A webhook request exactly as Twilio sends it: the body encoded like Twilio's, the URL without
 * credentials, and the headers Twilio adds, `X-Twilio-Signature` computed by core's signer.
 */
import { randomUUID } from 'node:crypto';
import { getExpectedBodyHash, getExpectedTwilioSignature } from '@twiml-guard/core';
import { encodeFormBody, signedParams, type WebhookParams } from './form-encoding.js';
import { appendQuery, splitUrlCredentials } from './url-parts.js';

/** The `User-Agent` Twilio's webhook requests carry. */
export const TWILIO_USER_AGENT = 'TwilioProxy/1.1';
/** The `Content-Type` of Twilio's form webhooks. */
export const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded; charset=utf-8';
/** The `Content-Type` of JSON webhooks (Studio "Make HTTP Request"). */
export const JSON_CONTENT_TYPE = 'application/json';

/** The methods Twilio calls webhooks with. */
export type WebhookMethod = 'GET' | 'POST';

/** What to sign: the URL as configured in Twilio, the token, and the params or JSON body. */
export interface SignTwilioRequestOptions {
  /** The webhook URL as configured in Twilio; `user:pass@` in it is used for auth, never signed or sent. */
  readonly url: string;
  /**
   * `POST` or `GET`. For `GET`, params go into the query string.
   * @default 'POST'
   */
  readonly method?: string;
  /**
   * Form fields (POST body, or GET query).
   * @default none: an empty body
   */
  readonly params?: WebhookParams;
  /**
   * A JSON webhook (Studio "Make HTTP Request"): a string is sent byte for byte, anything else is
   * `JSON.stringify`-ed. Not with `params`.
   * @default none: a form webhook
   */
  readonly json?: unknown;
  /** The Auth Token to sign with. */
  readonly authToken: string;
  /**
   * `I-Twilio-Idempotency-Token` (Twilio repeats it on retries).
   * @default a random UUID
   */
  readonly idempotencyToken?: string;
  /**
   * Extra headers; a name that matches a default one (any case) replaces it.
   * @default none
   */
  readonly headers?: Readonly<Record<string, string>>;
}

/** A request ready to send with any HTTP client: exactly what Twilio would send. */
export interface SignedTwilioRequest {
  /** The URL sent and signed: no credentials, no fragment; for GET it carries the params, for JSON `bodySHA256`. */
  readonly url: string;
  /** `POST` or `GET`. */
  readonly method: WebhookMethod;
  /** `X-Twilio-Signature`, `I-Twilio-Idempotency-Token`, `User-Agent`, `Accept` and the content type. */
  readonly headers: Record<string, string>;
  /** The exact body text; empty for GET. */
  readonly body: string;
}

/**
 * Signs a webhook request exactly as Twilio does, for tests and local calls.
 * @param options - the URL, token, and params or JSON body
 * @returns the URL, method, headers and body to send
 * @throws TypeError without an `authToken`, with both `params` and `json`, or with `json` on GET
 * @example
 * ```ts
 * import { signTwilioRequest } from '@twiml-guard/testing';
 *
 * const request = signTwilioRequest({ url: 'https://example.com/sms', authToken: 'test-token', params: { Body: 'hi' } });
 * await fetch(request.url, request);
 * ```
 */
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

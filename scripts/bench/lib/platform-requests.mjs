// The signed SMS webhook in each platform's request shape, and how to call a function of that
// platform with it. Shared by the per-request section and the cold-start section's sanity check.
import { createRequire } from 'node:module';
import { httpApiEvent } from './lambda-event.mjs';
import { FORM_CONTENT_TYPE, SMS_FORM, SMS_PARAMS, signature } from './webhook-fixture.mjs';

const require = createRequire(import.meta.url);

/** @typedef {ReturnType<typeof gcpRequest>} GcpRequest */
/** @typedef {ReturnType<typeof gcpResponse>} GcpResponse */
/** @typedef {import('@azure/functions').HttpRequest} AzureRequest */
/** @typedef {import('@azure/functions').InvocationContext} AzureContext */

/**
 * What a cold-start entry exports, per platform.
 * @typedef {{ handler(event: ReturnType<typeof httpApiEvent>): Promise<{ statusCode: number }> }} LambdaEntry
 * @typedef {{ sms(request: AzureRequest, context: AzureContext): Promise<{ status?: number }> }} AzureEntry
 * @typedef {{ sms(req: GcpRequest, res: GcpResponse): unknown }} GcpEntry
 * @typedef {{ default: { fetch(request: Request): Promise<Response> } }} FetchEntry
 */

export const AZURE_URL = 'https://sms-app.azurewebsites.net/api/sms';
export const GCP_HOST = 'sms-abc123def-uc.a.run.app';
export const FETCH_URL = 'https://sms.example.workers.dev/sms';

export { httpApiEvent };

// Signed once: the per-request figures must not include signing.
/** @type {Record<string, string> | undefined} */
let azureHeaders;
/** @type {Record<string, string> | undefined} */
let fetchHeaders;

/** A fresh Azure Functions v4 HttpRequest (its body can be read once) and an InvocationContext. */
export function azureRequest() {
  /** @type {typeof import('@azure/functions')} */
  const { HttpRequest } = require('@azure/functions');
  azureHeaders ??= { 'content-type': FORM_CONTENT_TYPE, host: 'sms-app.azurewebsites.net', 'x-twilio-signature': signature(AZURE_URL) };
  return new HttpRequest({ method: 'POST', url: AZURE_URL, headers: azureHeaders, body: { string: SMS_FORM } });
}

export function azureContext() {
  /** @type {typeof import('@azure/functions')} */
  const { InvocationContext } = require('@azure/functions');
  return new InvocationContext({ functionName: 'sms', invocationId: 'bench', logHandler: () => undefined });
}

/** What the Functions Framework hands a function: an Express request with body and rawBody already read. */
export function gcpRequest() {
  /** @type {Record<string, string>} */
  const headers = {
    'content-type': FORM_CONTENT_TYPE,
    host: GCP_HOST,
    'content-length': String(Buffer.byteLength(SMS_FORM)),
    'x-twilio-signature': signature(`https://${GCP_HOST}/`),
  };
  return {
    method: 'POST',
    url: '/',
    originalUrl: '/',
    headers,
    rawBody: Buffer.from(SMS_FORM),
    body: { ...SMS_PARAMS },
    // The Express helpers the common-way function uses.
    get: (/** @type {string} */ name) => headers[name.toLowerCase()],
    is: (/** @type {string} */ type) => (headers['content-type'] ?? '').startsWith(type),
  };
}

/** An Express-like response that records what was sent. */
export function gcpResponse() {
  return {
    statusCode: 200,
    headersSent: false,
    /**
     * @param {string} _name
     * @param {string} _value
     */
    setHeader(_name, _value) {},
    /** @param {unknown} [_body] */
    end(_body) {
      this.headersSent = true;
    },
    /** @param {number} code */
    status(code) {
      this.statusCode = code;
      return this;
    },
    /** @param {string} contentType */
    type(contentType) {
      this.setHeader('content-type', contentType);
      return this;
    },
    /** @param {unknown} body */
    send(body) {
      this.end(body);
      return this;
    },
    /** @param {unknown} value */
    json(value) {
      this.end(JSON.stringify(value));
      return this;
    },
  };
}

export function fetchRequest() {
  fetchHeaders ??= { 'content-type': FORM_CONTENT_TYPE, 'x-twilio-signature': signature(FETCH_URL) };
  return new Request(FETCH_URL, { method: 'POST', headers: fetchHeaders, body: SMS_FORM });
}

/** The HTTP status a module's function answers the signed webhook with, per platform (the cold-start entries' exports). */
export const STATUS_OF = {
  Lambda: async (/** @type {LambdaEntry} */ module) => (await module.handler(httpApiEvent())).statusCode,
  Azure: async (/** @type {AzureEntry} */ module) => (await module.sms(azureRequest(), azureContext())).status ?? 200,
  GCP: async (/** @type {GcpEntry} */ module) => {
    const res = gcpResponse();
    await module.sms(gcpRequest(), res);
    return res.statusCode;
  },
  fetch: async (/** @type {FetchEntry} */ module) => (await module.default.fetch(fetchRequest())).status,
};

// The signed SMS webhook in each platform's request shape, and how to call a function of that
// platform with it. Shared by the per-request section and the cold-start section's sanity check.
import { createRequire } from 'node:module';
import { httpApiEvent } from './lambda-event.mjs';
import { FORM_CONTENT_TYPE, SMS_FORM, SMS_PARAMS, signature } from './webhook-fixture.mjs';

const require = createRequire(import.meta.url);

export const AZURE_URL = 'https://sms-app.azurewebsites.net/api/sms';
export const GCP_HOST = 'sms-abc123def-uc.a.run.app';
export const FETCH_URL = 'https://sms.example.workers.dev/sms';

export { httpApiEvent };

// Signed once: the per-request figures must not include signing.
let azureHeaders;
let fetchHeaders;

/** A fresh Azure Functions v4 HttpRequest (its body can be read once) and an InvocationContext. */
export function azureRequest() {
  const { HttpRequest } = require('@azure/functions');
  azureHeaders ??= { 'content-type': FORM_CONTENT_TYPE, host: 'sms-app.azurewebsites.net', 'x-twilio-signature': signature(AZURE_URL) };
  return new HttpRequest({ method: 'POST', url: AZURE_URL, headers: azureHeaders, body: { string: SMS_FORM } });
}

export function azureContext() {
  const { InvocationContext } = require('@azure/functions');
  return new InvocationContext({ functionName: 'sms', invocationId: 'bench', logHandler: () => undefined });
}

/** What the Functions Framework hands a function: an Express request with body and rawBody already read. */
export function gcpRequest() {
  const headers = { 'content-type': FORM_CONTENT_TYPE, host: GCP_HOST, 'content-length': String(Buffer.byteLength(SMS_FORM)), 'x-twilio-signature': signature(`https://${GCP_HOST}/`) };
  return {
    method: 'POST',
    url: '/',
    originalUrl: '/',
    headers,
    rawBody: Buffer.from(SMS_FORM),
    body: { ...SMS_PARAMS },
    // The Express helpers the common-way function uses.
    get: (name) => headers[name.toLowerCase()],
    is: (type) => headers['content-type'].startsWith(type),
  };
}

/** An Express-like response that records what was sent. */
export function gcpResponse() {
  return {
    statusCode: 200,
    headersSent: false,
    setHeader() {},
    end() {
      this.headersSent = true;
    },
    status(code) {
      this.statusCode = code;
      return this;
    },
    type(contentType) {
      this.setHeader('content-type', contentType);
      return this;
    },
    send(body) {
      this.end(body);
      return this;
    },
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
  Lambda: async (module) => (await module.handler(httpApiEvent())).statusCode,
  Azure: async (module) => (await module.sms(azureRequest(), azureContext())).status ?? 200,
  GCP: async (module) => {
    const res = gcpResponse();
    await module.sms(gcpRequest(), res);
    return res.statusCode;
  },
  fetch: async (module) => (await module.default.fetch(fetchRequest())).status,
};

/**
 * Signs a template request with @twiml-guard/testing's signTwilioRequest (as Twilio would for the
 * public URL the runtime believes it has) and sends it over HTTP to the runtime on 127.0.0.1.
 */
import { rawHttp } from '@twiml-guard/test-support/raw-http';
import { signTwilioRequest, type SignedTwilioRequest } from '@twiml-guard/testing';
import type { Answer, TemplateRequest } from './template-cases.js';

export function signFor(url: string, payload: TemplateRequest['payload'], authToken: string): SignedTwilioRequest {
  return signTwilioRequest({ url, authToken, ...payload });
}

/** The request target (path and query) of a URL string, by string surgery (it stays exactly as signed). */
function pathAndQuery(url: string): string {
  const afterScheme = url.indexOf('://') + 3;
  const slash = url.indexOf('/', afterScheme);
  return slash === -1 ? '/' : url.slice(slash);
}

export async function sendTo(port: number, signed: SignedTwilioRequest, dropHeaders: readonly string[] = []): Promise<Answer> {
  const headers = Object.fromEntries(Object.entries(signed.headers).filter(([name]) => !dropHeaders.includes(name.toLowerCase())));
  const response = await rawHttp(
    port,
    {
      method: signed.method,
      path: pathAndQuery(signed.url),
      headers: { ...headers, 'content-length': String(Buffer.byteLength(signed.body)) },
    },
    signed.body,
  );
  return { status: response.status, contentType: response.headers['content-type'] ?? null, body: response.body };
}

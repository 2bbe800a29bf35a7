/**
 * `WebhookResponse` → what the Runtime's callback takes. Always a `Twilio.Response`: a bare string
 * would go out as text/plain (or text/html) and could carry no status code.
 */
import type { WebhookResponse } from '@twiml-guard/core';
import type { RuntimeResponse, TwilioFunctionCallback } from './types.js';

/** The same shape as `Twilio.Response`, for hosts without the Runtime's global (unit tests, other servers). */
export class PlainRuntimeResponse implements RuntimeResponse {
  statusCode = 200;
  /** No prototype: a header named `constructor` is appended to nothing inherited. */
  headers: Record<string, string | string[]> = Object.create(null) as Record<string, string | string[]>;
  body: string | null = null;

  setStatusCode(statusCode: number): this {
    this.statusCode = statusCode;
    return this;
  }

  appendHeader(name: string, value: string): this {
    const existing = Object.hasOwn(this.headers, name) ? this.headers[name] : undefined;
    this.headers[name] = existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
    return this;
  }

  setBody(body: string): this {
    this.body = body;
    return this;
  }
}

type RuntimeResponseConstructor = new () => RuntimeResponse;

/** The Runtime defines `Twilio.Response` globally and recognises only its own instances. */
function runtimeResponseConstructor(): RuntimeResponseConstructor {
  const runtime = (globalThis as { Twilio?: { Response?: unknown } }).Twilio;
  return typeof runtime?.Response === 'function' ? (runtime.Response as RuntimeResponseConstructor) : PlainRuntimeResponse;
}

/**
 * A `WebhookResponse` → a `Twilio.Response` (the Runtime recognises only its own instances), or a plain equivalent outside the Runtime.
 * @param response - the response to send
 * @returns the Runtime response
 */
export function toRuntimeResponse(response: WebhookResponse): RuntimeResponse {
  const Response = runtimeResponseConstructor();
  const out = new Response();
  out.setStatusCode(response.status);
  for (const [name, value] of Object.entries(response.headers)) out.appendHeader(name, value);
  out.setBody(response.body);
  return out;
}

/** The contract's `write`: the response goes out through the Runtime's callback. */
export function writeResponse(response: WebhookResponse, callback: TwilioFunctionCallback): void {
  callback(null, toRuntimeResponse(response));
}

/** Turns what a handler returned, or why a request was refused, into a `WebhookResponse`. */
import type { HandlerResult, ResponseObject, WebhookResponse } from './types.js';
import { emptyResponse } from './twiml/index.js';

/** The `content-type` of every TwiML response. */
export const TWIML_CONTENT_TYPE = 'text/xml; charset=utf-8';
/** `<?xml version="1.0" encoding="UTF-8"?><Response/>`: the answer when a handler returns nothing. */
export const EMPTY_TWIML = emptyResponse();

function isResponseObject(value: object): value is ResponseObject {
  // A TwiML builder has its own toString(); anything else (`{}`, `Object.create(null)`) is a response object,
  // never serialised as "[object Object]".
  const ownToString = (value as { toString?: unknown }).toString;
  return ownToString === undefined || ownToString === Object.prototype.toString;
}

/** RFC 9110 token characters. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/**
 * What every platform can send in a header value: tab, visible ASCII, space and Latin-1 (`obs-text`).
 * Node's `setHeader` (GCP, Twilio Functions, Azure's worker) refuses any other control character;
 * fetch `Headers` refuses CR, LF, NUL and anything above U+00FF (`Łukasz`). One rule for all.
 */
const UNSENDABLE_IN_HEADER_VALUE = /[^\t\x20-\x7e\x80-\xff]/;

/**
 * Turns what a handler returned into the response to send: a string or a TwiML builder becomes TwiML
 * (200, `text/xml`), nothing becomes an empty `<Response/>`, a response object is checked and copied.
 * @param result - the handler's return value
 * @throws RangeError or TypeError for a status, header or content length no platform can send (answered as a logged 500)
 */
export function toWebhookResponse(result: HandlerResult): WebhookResponse {
  if (result === undefined || result === null) return twiml(EMPTY_TWIML);
  if (typeof result === 'string') return twiml(result);
  if (typeof result !== 'object') return twiml(String(result));
  if (!isResponseObject(result)) return twiml(String(result));

  const status = result.status ?? 200;
  // A handler's mistake is a 500 with a log line here, not a throw inside the platform's response code.
  if (!Number.isInteger(status) || status < 200 || status > 599)
    throw new RangeError(`handler returned status ${String(status)} (expected 200-599)`);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(result.headers ?? {})) {
    const text = String(value);
    if (!HEADER_NAME.test(name)) throw new TypeError(`handler returned an invalid header name "${name.replace(/[^\x20-\x7e]/g, '?')}"`);
    if (UNSENDABLE_IN_HEADER_VALUE.test(text))
      throw new TypeError(
        `handler returned a value for header "${name}" that platforms cannot send (a control character, or a character above U+00FF: encode it)`,
      );
    headers[name.toLowerCase()] = text;
  }
  const body = result.body === undefined || result.body === null ? '' : String(result.body);
  checkContentLength(headers['content-length'], body);
  if (result.body === undefined || result.body === null) {
    return { status, headers, body };
  }
  if (!('content-type' in headers)) headers['content-type'] = TWIML_CONTENT_TYPE;
  return { status, headers, body };
}

const utf8 = new TextEncoder();

/**
 * The adapters write the body themselves: a `content-length` that is not its UTF-8 length would make a
 * Node server (GCP, Azure's worker, the Twilio Runtime) send a truncated response or leave the
 * connection waiting for bytes that never come. A handler's mistake, answered as a logged 500.
 */
function checkContentLength(declared: string | undefined, body: string): void {
  if (declared === undefined) return;
  const actual = utf8.encode(body).byteLength;
  if (declared.trim() !== String(actual))
    throw new TypeError(
      `handler returned content-length ${declared.replace(/[^\x20-\x7e]/g, '?')} for a body of ${actual} bytes (leave content-length out: the platform sets it)`,
    );
}

function twiml(body: string): WebhookResponse {
  return { status: 200, headers: { 'content-type': TWIML_CONTENT_TYPE }, body };
}

export { refusal } from './refusal.js';

/** The platform-neutral shapes every adapter translates to and from (options: options.ts). */
import type { FormParams } from './form-body.js';

/** One header's value as platforms hand it over: a string, several (a repeated header), or absent. */
export type HeaderValue = string | readonly string[] | undefined;
/** Header names are lower-case. */
export type WebhookHeaders = Readonly<Record<string, HeaderValue>>;

/**
 * A platform's HTTP request in the one shape the core checks: what an adapter builds from its event
 * before anything is verified.
 */
export interface WebhookRequest {
  /** The HTTP method, upper-case (`POST`, `GET`). */
  readonly method: string;
  /** The public URL Twilio called, as the adapter inferred it. A string: `new URL()` rewrites what Twilio signed. */
  readonly url: string;
  /** The request headers, names lower-case. */
  readonly headers: WebhookHeaders;
  /** The raw body exactly as received (decoded from base64 where the platform encodes it). */
  readonly body: string | Uint8Array;
  /** Path and query relative to the function's public base, appended to `baseUrl`. Default: those of `url`. */
  readonly path?: string;
  /** Which platform fields `url` was built from, for diagnostics (e.g. `requestContext.domainName + rawPath`). */
  readonly urlSource?: string;
  /** What the adapter knows inference cannot see (custom domains, re-serialised query strings...). */
  readonly urlNotes?: readonly string[];
  /** Other public URLs the platform could have been called on, tried only to explain a mismatch. */
  readonly alternateUrls?: readonly AlternateUrl[];
}

/** Another public URL the function is reachable on, with a label saying which (for the mismatch log line). */
export interface AlternateUrl {
  /** The full public URL. */
  readonly url: string;
  /** Where this URL comes from, e.g. `custom domain`. */
  readonly label: string;
}

/** The answer in the one shape every adapter writes back to its platform. */
export interface WebhookResponse {
  /** The HTTP status code. */
  status: number;
  /** Response headers, e.g. `content-type: text/xml`. */
  headers: Record<string, string>;
  /** The body, usually TwiML. */
  body: string;
}

/** What the user's handler receives, only for requests Twilio signed. */
export interface TwilioWebhookEvent {
  /** Form fields from the raw body; for GET, the query. */
  readonly params: FormParams;
  /** Parsed JSON for JSON webhooks, after the `bodySHA256` check. */
  readonly json?: unknown;
  /** The public URL the signature matched. */
  readonly url: string;
  /** The HTTP method Twilio used. */
  readonly method: string;
  /** The request headers, names lower-case. */
  readonly headers: WebhookHeaders;
  /** The raw body the signature covered. */
  readonly body: string | Uint8Array;
  /** The `AccountSid` parameter, when the request carries one. */
  readonly accountSid?: string;
  /** The `I-Twilio-Idempotency-Token` header: the same on each of Twilio's retries of one webhook. */
  readonly idempotencyToken?: string;
}

/** A full response from a handler, for a status or headers other than TwiML's. */
export interface ResponseObject {
  /**
   * The HTTP status code.
   * @default 200
   */
  status?: number;
  /**
   * Response headers; names are lower-cased.
   * @default none; `content-type: text/xml; charset=utf-8` is added when there is a body and no content type
   */
  headers?: Record<string, string>;
  /**
   * A string or a TwiML builder (sent as its `toString()`).
   * @default an empty body
   */
  body?: string | { toString(): string };
}

/** A TwiML string, a TwiML builder (anything with `toString()`), a response object, or nothing (empty `<Response/>`). */
// biome-ignore lint/suspicious/noConfusingVoidType: a handler that returns nothing (`() => {}`) answers an empty <Response/>
export type HandlerResult = string | ResponseObject | { toString(): string } | undefined | null | void;

/**
 * The user's function: runs only for a request Twilio signed, and returns its answer.
 * @param event - the verified request: params, JSON, URL, headers
 * @param platform - the platform's own request or context objects (the adapter names their type)
 * @returns TwiML, a response object, or nothing for an empty `<Response/>`
 */
export type WebhookHandler<P = unknown> = (event: TwilioWebhookEvent, platform: P) => HandlerResult | Promise<HandlerResult>;

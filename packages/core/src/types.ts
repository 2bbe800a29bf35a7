/** The platform-neutral shapes every adapter translates to and from (options: options.ts). */
import type { FormParams } from './form-body.js';

export type HeaderValue = string | readonly string[] | undefined;
/** Header names are lower-case. */
export type WebhookHeaders = Readonly<Record<string, HeaderValue>>;

export interface WebhookRequest {
  readonly method: string;
  /** The public URL Twilio called, as the adapter inferred it. A string: `new URL()` rewrites what Twilio signed. */
  readonly url: string;
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

export interface AlternateUrl {
  readonly url: string;
  readonly label: string;
}

export interface WebhookResponse {
  status: number;
  headers: Record<string, string>;
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
  readonly method: string;
  readonly headers: WebhookHeaders;
  readonly body: string | Uint8Array;
  readonly accountSid?: string;
  readonly idempotencyToken?: string;
}

export interface ResponseObject {
  status?: number;
  headers?: Record<string, string>;
  body?: string | { toString(): string };
}

/** A TwiML string, a TwiML builder (anything with `toString()`), a response object, or nothing (empty `<Response/>`). */
export type HandlerResult = string | ResponseObject | { toString(): string } | undefined | null | void;

export type WebhookHandler<P = unknown> = (event: TwilioWebhookEvent, platform: P) => HandlerResult | Promise<HandlerResult>;

/** The platform-neutral shapes every adapter translates to and from. */
import type { DedupeOptions } from './dedupe.js';
import type { DigestAuthOptions } from './digest-auth.js';
import type { FormParams } from './form-body.js';
import type { Logger } from './logger.js';
import type { AuthTokenOption } from './tokens/resolve-token-source.js';

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

export interface BasicAuthOptions {
  readonly username: string;
  readonly password: string;
  readonly realm?: string;
}

export interface WebhookOptions {
  /** A token, a list (rotation), a `TokenSource`, or a function of the AccountSid. Default: the adapter's store, else `TWILIO_AUTH_TOKEN`. */
  readonly authToken?: AuthTokenOption;
  /** The exact public URL configured in Twilio (wins over everything). Default: `TWILIO_WEBHOOK_URL`. */
  readonly url?: string | ((request: WebhookRequest) => string);
  /** Public scheme + host + base path; the path the platform reports is appended. Default: `PUBLIC_BASE_URL`. */
  readonly baseUrl?: string;
  /** Honour `Forwarded` / `X-Forwarded-Host` / `X-Forwarded-Proto` / `X-Original-Host` (only behind a proxy you control). */
  readonly trustProxy?: boolean;
  readonly basicAuth?: BasicAuthOptions;
  /** HTTP Digest (RFC 7616) on the webhook URL; checked before the signature, like `basicAuth`. */
  readonly digestAuth?: DigestAuthOptions;
  /**
   * Opt-in duplicate suppression (`twilioWebhook` only): a request whose signature or
   * `I-Twilio-Idempotency-Token` was seen gets the first response again, without running the handler.
   */
  readonly dedupe?: boolean | DedupeOptions;
  /** `false` skips signature checks: local development only, warned about on every request. */
  readonly validate?: boolean;
  /** Larger bodies get 413. Default 64 KiB. */
  readonly maxBodyBytes?: number;
  readonly logger?: Logger;
}

/** What an adapter contributes besides translation. */
export interface PlatformDefaults {
  /** Adapter name used in log lines, e.g. `aws-lambda`. */
  readonly name: string;
  /** The platform's secret store when its environment names one; `undefined` falls back to `TWILIO_AUTH_TOKEN`. */
  readonly defaultTokenSource?: () => import('./tokens/token-source.js').TokenSource | undefined;
  /** How to configure the store, for the "no token" log line. */
  readonly tokenHelp?: string;
}

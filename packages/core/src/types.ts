/** The platform-neutral shapes every adapter translates to and from. */
import type { DedupeOptions } from './dedupe.js';
import type { DigestAuthOptions } from './digest-auth.js';
import type { FormParams } from './form-body.js';
import type { Logger } from './logger.js';
import type { AuthTokenOption } from './tokens/resolve-token-source.js';

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
export type HandlerResult = string | ResponseObject | { toString(): string } | undefined | null | void;

/**
 * The user's function: runs only for a request Twilio signed, and returns its answer.
 * @param event - the verified request: params, JSON, URL, headers
 * @param platform - the platform's own request or context objects (the adapter names their type)
 * @returns TwiML, a response object, or nothing for an empty `<Response/>`
 */
export type WebhookHandler<P = unknown> = (event: TwilioWebhookEvent, platform: P) => HandlerResult | Promise<HandlerResult>;

/**
 * HTTP Basic credentials Twilio must send: configure the webhook as `https://user:pass@host/path`.
 * Checked before the signature.
 */
export interface BasicAuthOptions {
  /** The user name in the webhook URL. */
  readonly username: string;
  /** The password in the webhook URL; compared in constant time and never logged. */
  readonly password: string;
  /**
   * The realm named in the `WWW-Authenticate` challenge.
   * @default 'twilio-webhook'
   */
  readonly realm?: string;
}

/**
 * What every adapter's `twilioWebhook(handler, options)` and `withTwilioSignature(handler, options)`
 * accept. Every option is optional: with none, the token comes from the platform's secret store or
 * `TWILIO_AUTH_TOKEN`, and the public URL from `TWILIO_WEBHOOK_URL`, `PUBLIC_BASE_URL` or the platform.
 *
 * @example
 * ```ts
 * export const handler = twilioWebhook(handleSms, {
 *   url: 'https://sms.example.com/incoming',
 *   authToken: process.env.TWILIO_AUTH_TOKEN,
 * });
 * ```
 */
export interface WebhookOptions {
  /**
   * The Auth Token(s) requests are signed with: a token, a list (during rotation every listed token
   * is accepted), a `TokenSource`, or a function of the request's AccountSid (sub-accounts sign
   * with their own token).
   * @default the adapter's secret store when its environment names one, else the `TWILIO_AUTH_TOKEN` environment variable
   */
  readonly authToken?: AuthTokenOption;
  /**
   * The exact public URL configured in Twilio, or a function of the request that returns it. Wins
   * over `baseUrl` and inference: Twilio signs the URL exactly as configured.
   * @default the `TWILIO_WEBHOOK_URL` environment variable, else `baseUrl` + path, else the URL inferred from the platform
   */
  readonly url?: string | ((request: WebhookRequest) => string);
  /**
   * Public scheme + host + base path (e.g. a custom domain); the path the platform reports is appended.
   * @default the `PUBLIC_BASE_URL` environment variable, else the URL inferred from the platform
   */
  readonly baseUrl?: string;
  /**
   * Honour `Forwarded` / `X-Forwarded-Host` / `X-Forwarded-Proto` / `X-Original-Host` when inferring
   * the URL. Turn on only behind a proxy you control: anyone can send these headers.
   * @default false
   */
  readonly trustProxy?: boolean;
  /**
   * HTTP Basic credentials Twilio must send (`https://user:pass@host/...`); checked before the signature.
   * @default none: no Basic auth
   */
  readonly basicAuth?: BasicAuthOptions;
  /**
   * HTTP Digest (RFC 7616) on the webhook URL; checked before the signature, like `basicAuth`.
   * @default none: no Digest auth
   */
  readonly digestAuth?: DigestAuthOptions;
  /**
   * Opt-in duplicate suppression (`twilioWebhook` only): a request whose signature or
   * `I-Twilio-Idempotency-Token` was seen gets the first response again, without running the handler.
   * `true` uses an in-memory store per instance; pass `DedupeOptions` for a shared store.
   * @default false
   */
  readonly dedupe?: boolean | DedupeOptions;
  /**
   * `false` skips signature checks: local development only, warned about on every request.
   * @default true
   */
  readonly validate?: boolean;
  /**
   * The largest body accepted, in bytes; larger bodies get 413 before anything is parsed.
   * @default 65536 (64 KiB, `DEFAULT_MAX_BODY_BYTES`)
   */
  readonly maxBodyBytes?: number;
  /**
   * Where the one line per refused request (and warnings) goes. A logger that throws is ignored.
   * @default `stderrJsonLogger`: one JSON line on stderr (on `console` where there is no stderr)
   */
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

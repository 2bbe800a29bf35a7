/**
 * What a user configures on every adapter, and what an adapter contributes besides translation.
 * Apart from the shapes in types.ts so that dedupe.ts and digest-auth.ts (whose options it holds)
 * never import a file that imports them.
 */
import type { DedupeOptions } from './dedupe.js';
import type { DigestAuthOptions } from './digest-auth.js';
import type { Logger } from './logger.js';
import type { AuthTokenOption } from './tokens/resolve-token-source.js';
import type { TokenSource } from './tokens/token-source.js';
import type { WebhookRequest } from './types.js';

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
 * import { twilioWebhook } from '@twiml-guard/aws-lambda'; // or any adapter
 *
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
  readonly defaultTokenSource?: () => TokenSource | undefined;
  /** How to configure the store, for the "no token" log line. */
  readonly tokenHelp?: string;
}

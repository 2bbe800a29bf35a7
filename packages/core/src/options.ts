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
  readonly defaultTokenSource?: () => TokenSource | undefined;
  /** How to configure the store, for the "no token" log line. */
  readonly tokenHelp?: string;
}

/**
 * The official `twilio` client behind `TwilioAuthTokensApi`, shared by every adapter's rotation function.
 * `twilio` is an optional peer of core: only this subpath loads it, on first use, so core's main entry
 * stays dependency-free and a webhook bundle never pulls it in.
 */
import { optionalPeerMissing } from '../optional-peer.js';
import { lazyTwilioAuthTokens, type TwilioAuthTokensApi, type TwilioClientOptions } from './twilio-auth-tokens-api.js';

/**
 * Twilio's auth-token API (create, promote and delete the secondary token; check credentials) through
 * the official `twilio` package, which loads on the first call. A missing `twilio` fails that call with
 * an error that says to install it.
 *
 * @param options - `clientOptions` go to `twilio(accountSid, authToken, clientOptions)` (`autoRetry` is
 *   off unless set there); `suppressEmailNotification: true` stops Twilio e-mailing the account's owners
 *   on every token change (default `false`).
 * @returns The `TwilioAuthTokensApi` a rotation calls Twilio through.
 * @example
 * ```ts
 * import { officialTwilioAuthTokens, rotateTwilioAuthToken } from '@twiml-guard/core/rotation';
 *
 * const twilio = officialTwilioAuthTokens({ suppressEmailNotification: true });
 * await rotateTwilioAuthToken({ store: myStore, twilio });
 * ```
 */
export function officialTwilioAuthTokens(options: TwilioClientOptions = {}): TwilioAuthTokensApi {
  return lazyTwilioAuthTokens(() => import('twilio').catch(optionalPeerMissing('twilio')), options);
}

/** The official `twilio` client behind the core's `TwilioAuthTokensApi`, loaded on first use (an optional peer). */
import { lazyTwilioAuthTokens, type TwilioAuthTokensApi, type TwilioClientOptions, optionalPeerMissing } from '@twiml-guard/core';

export type { TwilioClientOptions } from '@twiml-guard/core';

export function officialTwilioAuthTokens(options: TwilioClientOptions = {}): TwilioAuthTokensApi {
  return lazyTwilioAuthTokens(() => import('twilio').catch(optionalPeerMissing('twilio')), options);
}

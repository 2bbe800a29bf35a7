/** The official `twilio` client behind the core's `TwilioAuthTokensApi`, loaded on first use (an optional peer). */
import { twilioClientAuthTokens, type TwilioAuthTokensApi, type TwilioRestClientLike } from '@twiml-guard/core';

export interface TwilioClientOptions {
  /** Passed to `twilio(accountSid, authToken, options)`: `httpClient`, `region`, `edge`, `timeout`, … */
  readonly clientOptions?: Record<string, unknown>;
  /** Twilio e-mails the account's owners on every token change unless this is true. */
  readonly suppressEmailNotification?: boolean;
}

type TwilioFactory = (accountSid: string, authToken: string, options?: Record<string, unknown>) => TwilioRestClientLike;

export function officialTwilioAuthTokens(options: TwilioClientOptions = {}): TwilioAuthTokensApi {
  let factory: Promise<TwilioFactory> | undefined;
  const load = async (): Promise<TwilioFactory> => {
    const module = (await import('twilio')) as unknown as { default?: TwilioFactory } & TwilioFactory;
    return typeof module.default === 'function' ? module.default : module;
  };
  return twilioClientAuthTokens(
    async ({ accountSid, authToken }) => (await (factory ??= load()))(accountSid, authToken, { autoRetry: false, ...options.clientOptions }),
    { suppressEmailNotification: options.suppressEmailNotification ?? false },
  );
}

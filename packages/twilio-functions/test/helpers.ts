import type { PlainRuntimeResponse, TwilioFunctionContext, TwilioFunctionEvent } from '@twiml-guard/twilio-functions';

export const ACCOUNT_SID = `AC${'0123456789abcdef'.repeat(2)}`;
export const AUTH_TOKEN = '12345678901234567890123456789012';
export const DOMAIN = 'example-1234-dev.twil.io';

export { flatLogger as capturingLogger } from '@twiml-guard/test-support/flat-logger';

export function runtimeContext(overrides: Partial<TwilioFunctionContext> = {}): TwilioFunctionContext {
  return { DOMAIN_NAME: DOMAIN, PATH: '/sms', ACCOUNT_SID, AUTH_TOKEN, ...overrides };
}

/** What `@twilio/runtime-handler` builds: query and body merged, headers lower-cased under `request`. */
export function runtimeEvent(params: Record<string, string | string[]>, headers: Record<string, string> = {}): TwilioFunctionEvent {
  return {
    request: { headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, cookies: {} },
    ...params,
  };
}

export const smsParams = (): Record<string, string> => ({
  AccountSid: ACCOUNT_SID,
  MessageSid: `SM${'a'.repeat(32)}`,
  From: '+15551230000',
  To: '+15559870000',
  Body: "Ça va? O'Hara & co = 100% 😀",
});

/** Calls a Runtime handler and resolves with what it passed to the callback. */
export function invoke(
  fn: (context: TwilioFunctionContext, event: TwilioFunctionEvent, callback: (error: unknown, response?: unknown) => void) => unknown,
  context: TwilioFunctionContext,
  event: TwilioFunctionEvent,
): Promise<{ error: unknown; response: PlainRuntimeResponse }> {
  return new Promise((resolve) => {
    void fn(context, event, (error, response) => resolve({ error, response: response as PlainRuntimeResponse }));
  });
}

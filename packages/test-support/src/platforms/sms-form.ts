/** An SMS webhook's form body, and its signature made by the `twilio` package (the oracle). */
import twilio from 'twilio';

export const AUTH_TOKEN = '0123456789abcdef0123456789abcdef';
export const ACCOUNT_SID = 'AC0123456789abcdef0123456789abcdef';

export function sign(url: string, params: Record<string, string | string[]>, token = AUTH_TOKEN): string {
  return twilio.getExpectedTwilioSignature(token, url, params);
}

/** A form body and the params Twilio signs for it. */
export function smsForm(body = 'Hello there'): { body: string; params: Record<string, string> } {
  const params = { AccountSid: ACCOUNT_SID, From: '+15551234567', To: '+15557654321', Body: body };
  const encoded = Object.entries(params)
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value).replace(/%20/g, '+')}`)
    .join('&');
  return { body: encoded, params };
}

import { createHash } from 'node:crypto';
import twilio from 'twilio';

export const ACCOUNT_SID = `AC${'0123456789abcdef'.repeat(2)}`;
export const AUTH_TOKEN = '12345678901234567890123456789012';
export const FORM = 'application/x-www-form-urlencoded';

export { flatLogger as capturingLogger } from '@twiml-guard/test-support/flat-logger';

export const smsParams = (): Record<string, string> => ({
  AccountSid: ACCOUNT_SID,
  MessageSid: `SM${'b'.repeat(32)}`,
  From: '+15551230000',
  To: '+15559870000',
  Body: "Ça va? O'Hara & co = 100% 😀",
});

export const form = (params: Record<string, string>): string => new URLSearchParams(params).toString();

export const sign = (url: string, params: Record<string, string>, token = AUTH_TOKEN): string =>
  twilio.getExpectedTwilioSignature(token, url, params);

/** A Studio-style JSON webhook: `bodySHA256` in the URL, the signature over the URL alone. */
export function signedJson(baseUrl: string, payload: unknown, token = AUTH_TOKEN): { url: string; body: string; signature: string } {
  const body = JSON.stringify(payload);
  const url = `${baseUrl}?bodySHA256=${createHash('sha256').update(body).digest('hex')}`;
  return { url, body, signature: twilio.getExpectedTwilioSignature(token, url, {}) };
}

export function messagingTwiml(text: string): string {
  const reply = new twilio.twiml.MessagingResponse();
  reply.message(text);
  return reply.toString();
}

/**
 * Forwards every incoming call to one number from configuration (`FORWARD_TO`, E.164, e.g.
 * +15551234567). Without a valid number the caller hears an apology instead of silence, and the
 * log says what to set. Only requests Twilio signed reach this function: the adapter checked them first.
 */
import { VoiceResponse, type HandlerResult, type TwilioWebhookEvent } from '@twiml-guard/core';

const E164 = /^\+[1-9]\d{6,14}$/;

export function forwardCall(_event: TwilioWebhookEvent, forwardTo: string | undefined): HandlerResult {
  const twiml = new VoiceResponse();
  const number = forwardTo?.trim();
  if (!number || !E164.test(number)) {
    console.error(
      JSON.stringify({
        msg: 'call-forwarding: FORWARD_TO is not an E.164 number (like +15551234567); the caller was told and hung up',
        configured: Boolean(number),
      }),
    );
    twiml.say('Sorry, this number cannot take calls right now. Goodbye.');
    twiml.hangup();
    return twiml;
  }
  // Ring for 20 seconds; the caller ID stays the original caller's (Twilio's default for forwarded calls).
  twiml.dial({ timeout: 20 }, number);
  return twiml;
}

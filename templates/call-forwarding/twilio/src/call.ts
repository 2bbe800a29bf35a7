// The Twilio Functions entry point: the shared handler behind the Twilio Runtime adapter.
// `npm run bundle` writes it to functions/ as call.protected.js (Twilio runs JavaScript;
// Protected = Twilio's gateway checks the signature too, and this function checks it again, also locally where twilio-run does not).
import { twilioWebhook } from '@twiml-guard/twilio-functions';
import { forwardCall } from '../../handler.js';

export const handler = twilioWebhook((event, { context }) =>
  forwardCall(event, typeof context.FORWARD_TO === 'string' ? context.FORWARD_TO : undefined),
);

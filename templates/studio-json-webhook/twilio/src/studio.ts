// The Twilio Functions entry point: the shared handler behind the Twilio Runtime adapter.
// `npm run bundle` writes it to functions/ as studio.protected.js (Twilio runs JavaScript;
// Protected = Twilio's gateway checks the signature too, and this function checks it again, also locally where twilio-run does not).
import { twilioWebhook } from '@twiml-guard/twilio-functions';
import { studioJsonWebhook } from '../../handler.js';

export const handler = twilioWebhook(studioJsonWebhook, {
  // Studio JSON: the Runtime drops the raw body, so only Twilio's gateway can check bodySHA256. That
  // gateway runs for Protected functions once deployed; locally (and for form posts) this function checks.
  skipValidationWhenProtected: true,
});

// Protected visibility: enforced only by Twilio's deployed gateway, so locally our check is the only one.
const { twilioWebhook } = require('@twiml-guard/twilio-functions');

exports.handler = twilioWebhook(
  () => {
    const reply = new Twilio.twiml.VoiceResponse();
    reply.say('Signed call accepted');
    return reply;
  },
  { skipValidationWhenProtected: true },
);

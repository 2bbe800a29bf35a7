// A Twilio Function guarded by the built adapter (dist/index.cjs, resolved through the workspace link).
const { twilioWebhook } = require('@twiml-guard/twilio-functions');

exports.handler = twilioWebhook((event) => {
  // `Twilio` is the Runtime's global: its TwiML builders come from the project's `twilio`.
  const reply = new Twilio.twiml.MessagingResponse();
  reply.message(`You said: ${event.params.Body}`);
  return reply;
});

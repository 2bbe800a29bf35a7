// An existing Runtime function, unchanged, behind withTwilioSignature.
const { withTwilioSignature } = require('@twiml-guard/twilio-functions');

exports.handler = withTwilioSignature((context, event, callback) => {
  const reply = new Twilio.twiml.MessagingResponse();
  reply.message(`Wrapped reply to ${event.From}`);
  callback(null, reply);
});

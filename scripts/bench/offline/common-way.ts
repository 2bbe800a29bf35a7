// The sms-auto-reply template written the common way (twilio validateRequest + MessagingResponse), in a
// file of its own so that serverless-esbuild bundles twilio into this function only.
export { handler as twilioWay } from '../entries/lambda-twilio.mjs';

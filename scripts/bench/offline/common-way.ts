// The sms-auto-reply template written the common way (twilio validateRequest + MessagingResponse), in a
// file of its own so that serverless-esbuild bundles twilio into this function only.
// @ts-expect-error -- a plain JavaScript bench entry without type declarations
export { handler as twilioWay } from '../entries/lambda-twilio.mjs';

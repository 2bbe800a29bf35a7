export { twilioWebhook } from './twilio-webhook.js';
export { withTwilioSignature } from './with-twilio-signature.js';
export { toWebhookRequest } from './to-webhook-request.js';
export { toResponse } from './to-response.js';
export { readBodyBytes } from './read-body.js';
export type { FetchOptions, FetchWebhookHandler, FetchHandler } from './types.js';

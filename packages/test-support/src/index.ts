/** Shared test helpers: Twilio-signed `WebhookRequest`s (signed by the `twilio` package) and log capture. */
export * from './capturing-logger.js';
export * from './signed-request.js';
export * from './stderr-capture.js';

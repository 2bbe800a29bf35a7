/**
 * The Runtime hands parsed parameters, never the raw body, so the form body the core verifies (and a
 * GET's query) is rebuilt from them, encoded the way Twilio encodes them: the core's encoder.
 */
export { encodeFormBody, encodeFormComponent } from '@twiml-guard/core';

// The Cloudflare Workers entry point: the shared handler behind the fetch adapter. It runs without
// nodejs_compat: @twiml-guard/* load their WebCrypto build on Workers. The token is the Worker's
// TWILIO_AUTH_TOKEN secret (TWILIO_AUTH_TOKEN_PENDING beside it during a rotation).
import { twilioWorker, type TwilioWorkerEnv } from '@twiml-guard/fetch';
import { forwardCall } from '../../handler.js';

/** The Worker's bindings: the token secrets, and where calls go. */
export interface Env extends TwilioWorkerEnv {
  /** The number calls are forwarded to, E.164: `wrangler secret put FORWARD_TO` (or a var). */
  readonly FORWARD_TO?: string;
}

export default twilioWorker<Env>((event, _request, env) => forwardCall(event, env.FORWARD_TO));

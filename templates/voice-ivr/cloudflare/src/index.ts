// The Cloudflare Workers entry point: the shared handler behind the fetch adapter. It runs without
// nodejs_compat: @twiml-guard/* load their WebCrypto build on Workers. The token is the Worker's
// TWILIO_AUTH_TOKEN secret (TWILIO_AUTH_TOKEN_PENDING beside it during a rotation).
import { twilioWorker } from '@twiml-guard/fetch';
import { voiceIvr } from '../../handler.js';

export default twilioWorker(voiceIvr);

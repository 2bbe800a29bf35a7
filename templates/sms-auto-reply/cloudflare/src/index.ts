// The Cloudflare Workers entry point: the shared handler behind the fetch adapter. It runs without
// nodejs_compat: @twiml-guard/* load their WebCrypto build on Workers.
import { envTokens } from '@twiml-guard/core';
import { twilioWebhook } from '@twiml-guard/fetch';
import { smsAutoReply } from '../../handler.js';

/** The Worker's bindings (wrangler.toml `[vars]` and secrets). */
export interface Env {
  /** `wrangler secret put TWILIO_AUTH_TOKEN`; comma-separated tokens during a rotation. */
  readonly TWILIO_AUTH_TOKEN?: string;
  readonly TWILIO_AUTH_TOKEN_PENDING?: string;
  /** Public scheme + host (+ base path) when Twilio calls a custom domain or route, not the request's own URL. */
  readonly PUBLIC_BASE_URL?: string;
}

type Webhook = (request: Request) => Promise<Response>;

/** One guarded handler per bindings object: Workers hand the same `env` to every request of an isolate. */
const webhooks = new WeakMap<Env, Webhook>();

function webhookFor(env: Env): Webhook {
  let webhook = webhooks.get(env);
  if (!webhook) {
    webhook = twilioWebhook(smsAutoReply, {
      authToken: envTokens('TWILIO_AUTH_TOKEN', 'TWILIO_AUTH_TOKEN_PENDING', env),
      ...(env.PUBLIC_BASE_URL ? { baseUrl: env.PUBLIC_BASE_URL } : {}),
    });
    webhooks.set(env, webhook);
  }
  return webhook;
}

export default {
  fetch(request: Request, env: Env): Promise<Response> {
    return webhookFor(env)(request);
  },
};

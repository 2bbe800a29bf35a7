import { envTokens, type HandlerResult, type TwilioWebhookEvent } from '@twiml-guard/core';
import { twilioWebhook } from './twilio-webhook.js';
import type { FetchOptions } from './types.js';

/** The Worker bindings `twilioWorker` reads unless its options say otherwise. */
export interface TwilioWorkerEnv {
  /** `wrangler secret put TWILIO_AUTH_TOKEN`; comma-separated tokens are all accepted. */
  readonly TWILIO_AUTH_TOKEN?: string;
  /** The token Twilio is about to sign with, set beside the current one during a rotation. */
  readonly TWILIO_AUTH_TOKEN_PENDING?: string;
  /** Public scheme + host (+ base path), when Twilio calls a URL the Worker does not see as its own. */
  readonly PUBLIC_BASE_URL?: string;
}

/** A webhook handler that also gets the Worker's bindings (vars and secrets). */
export type WorkerWebhookHandler<Env> = (event: TwilioWebhookEvent, request: Request, env: Env) => HandlerResult | Promise<HandlerResult>;

/** What `export default` hands the Workers runtime. */
export interface TwilioWorker<Env> {
  fetch(request: Request, env: Env): Promise<Response>;
}

/**
 * A Cloudflare Workers module that answers only requests Twilio signed: the token comes from the
 * Worker's `TWILIO_AUTH_TOKEN` secret (and `TWILIO_AUTH_TOKEN_PENDING` during a rotation), the public
 * URL from `PUBLIC_BASE_URL` when set; `options` (or a function of the bindings returning them) wins.
 *
 * @param handler - Gets the verified event, the original `Request` and the Worker's bindings; returns
 *   TwiML, a TwiML builder, `{ status, headers, body }` or nothing.
 * @param options - The same options as `twilioWebhook`, or a function of the bindings returning them.
 * @returns The module to `export default`: `{ fetch(request, env) }`, which never throws.
 * @example
 * ```ts
 * import { twilioWorker } from '@twiml-guard/fetch';
 * export default twilioWorker((event) => `<Response><Message>You said: ${event.params.Body}</Message></Response>`);
 * ```
 */
export function twilioWorker<Env extends TwilioWorkerEnv = TwilioWorkerEnv>(
  handler: WorkerWebhookHandler<Env>,
  options: FetchOptions | ((env: Env) => FetchOptions) = {},
): TwilioWorker<Env> {
  // Workers hand one bindings object to every request of an isolate: one guarded handler per object.
  const webhooks = new WeakMap<Env, (request: Request) => Promise<Response>>();
  const webhookFor = (env: Env): ((request: Request) => Promise<Response>) => {
    let webhook = typeof env === 'object' && env !== null ? webhooks.get(env) : undefined;
    if (!webhook) {
      const chosen = typeof options === 'function' ? options(env) : options;
      webhook = twilioWebhook((event, request) => handler(event, request, env), {
        authToken: envTokens('TWILIO_AUTH_TOKEN', 'TWILIO_AUTH_TOKEN_PENDING', env),
        ...(env?.PUBLIC_BASE_URL ? { baseUrl: env.PUBLIC_BASE_URL } : {}),
        ...chosen,
      });
      // A runtime that passes no bindings object (some test harnesses) gets a handler per request.
      if (typeof env === 'object' && env !== null) webhooks.set(env, webhook);
    }
    return webhook;
  };
  return { fetch: (request, env) => webhookFor(env)(request) };
}

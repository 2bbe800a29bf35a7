import { fetchAdapter } from './platform-adapter.js';
import type { FetchHandler, FetchOptions } from './types.js';

/**
 * Guards a web-standard handler you already have: it runs, with the original `Request` (body unread:
 * the guard reads a clone) and any extra arguments (Workers' `env` and `ctx`, a Next.js route
 * context), only for requests Twilio signed. Others get a short refusal and a log line. The token is
 * found as `twilioWebhook` finds it (the `authToken` option, else `TWILIO_AUTH_TOKEN` from
 * `process.env`), never in a Worker's `env`: on Cloudflare Workers, turn on `nodejs_compat` (which
 * puts the Worker's variables and secrets in `process.env`) or use `twilioWorker`, which reads `env`.
 *
 * @param fetchHandler - Your handler, `(request, ...rest) => Response | Promise<Response>`.
 * @param options - The same options as `twilioWebhook` (`authToken`, `url` / `baseUrl`, `logger`...).
 * @returns A handler with the same parameters, answering refusals itself.
 * @example
 * ```ts
 * import { withTwilioSignature } from '@twiml-guard/fetch';
 * // TWILIO_AUTH_TOKEN from process.env: on Workers, with nodejs_compat (compatibility date 2025-04-01 or later).
 * export default { fetch: withTwilioSignature(async (request, env) => new Response(await request.text())) };
 * ```
 */
export function withTwilioSignature<A extends unknown[]>(
  fetchHandler: FetchHandler<A>,
  options: FetchOptions = {},
): (request: Request, ...rest: A) => Promise<Response> {
  const guard = fetchAdapter.guard(options);
  return async (request, ...rest) => {
    const guarded = await guard([request]);
    return guarded.ok ? fetchHandler(request, ...rest) : guarded.result;
  };
}

import type { WebhookHandler, WebhookOptions } from '@twiml-guard/core';

/** Same options as every adapter: `url`, `baseUrl`, `trustProxy`, `authToken`... */
export type FetchOptions = WebhookOptions;

/** The handler's second argument is the original `Request` (its body already read: use `event.body`). */
export type FetchWebhookHandler = WebhookHandler<Request>;

/** A web-standard handler: Workers' `fetch(request, env, ctx)`, a Next.js route `POST(request, context)`, Deno/Bun `serve`. */
export type FetchHandler<A extends unknown[] = []> = (request: Request, ...rest: A) => Response | Promise<Response>;

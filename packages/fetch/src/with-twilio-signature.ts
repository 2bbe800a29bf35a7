/**
 * Guards a web-standard handler the user already has. The guard reads a clone, so the wrapped
 * handler receives the original `Request` (and any extra arguments: Workers' env and ctx, Next.js'
 * route context) with its body unread.
 */
import { createWebhookGuard } from '@twiml-guard/core';
import { ADAPTER, readRequest } from './read-request.js';
import { toResponse } from './to-response.js';
import type { FetchHandler, FetchOptions } from './types.js';

export function withTwilioSignature<A extends unknown[]>(fetchHandler: FetchHandler<A>, options: FetchOptions = {}): (request: Request, ...rest: A) => Promise<Response> {
  const guard = createWebhookGuard(options, { name: ADAPTER });
  return async (request, ...rest) => {
    const read = await readRequest(request, () => request.clone(), options);
    if (!read.ok) return toResponse(read.response);
    const guarded = await guard(read.request);
    if (!guarded.ok) return toResponse(guarded.response);
    return fetchHandler(request, ...rest);
  };
}

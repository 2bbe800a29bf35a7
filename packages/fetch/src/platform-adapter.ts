/** The fetch adapter on the core's contract: a `Request` in, a `Response` out. */
import { defineAdapter } from '@twiml-guard/core/adapter';
import { FETCH_PLATFORM } from './platform-defaults.js';
import { translate } from './translate.js';
import type { FetchOptions } from './types.js';
import { toResponse } from './write-response.js';

export const fetchAdapter = defineAdapter<readonly [Request], Response, Request, FetchOptions>({
  platform: FETCH_PLATFORM,
  translate,
  write: (response) => toResponse(response),
  platformContext: ([request]) => request,
});

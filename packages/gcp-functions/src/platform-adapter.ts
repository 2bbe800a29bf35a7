/** The Google Cloud Functions adapter on the core's contract: `(req, res)` in, the answer written to `res`. */
import { defineAdapter } from '@twiml-guard/core/adapter';
import { gcpPlatformDefaults } from './platform-defaults.js';
import { translate } from './translate.js';
import type { GcpFunctionsOptions, GcpHttpRequest, GcpHttpResponse, GcpPlatformContext } from './types.js';
import { writeResponse } from './write-response.js';

export const gcpAdapter = defineAdapter<readonly [GcpHttpRequest, GcpHttpResponse], void, GcpPlatformContext, GcpFunctionsOptions>({
  platform: gcpPlatformDefaults,
  translate,
  write: (response, [, res]) => writeResponse(res, response),
  platformContext: ([req, res]) => ({ req, res }),
});

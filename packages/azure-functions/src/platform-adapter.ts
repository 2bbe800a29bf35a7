/** The Azure Functions adapter on the core's contract: `(request, context)` in, an `HttpResponseInit` out. */
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { defineAdapter } from '@twiml-guard/core/adapter';
import { azurePlatformDefaults } from './platform-defaults.js';
import { translate } from './translate.js';
import type { AzureFunctionsOptions, AzurePlatformContext } from './types.js';
import { toHttpResponseInit } from './write-response.js';

export const azureAdapter = defineAdapter<
  readonly [HttpRequest, InvocationContext],
  HttpResponseInit,
  AzurePlatformContext,
  AzureFunctionsOptions
>({
  platform: azurePlatformDefaults,
  translate,
  write: (response) => toHttpResponseInit(response),
  platformContext: ([request, context]) => ({ request, context }),
});

/** The adapter's options and what its handler gets besides the verified event. */
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import type { WebhookOptions } from '@twiml-guard/core';

export type AzureFunctionsOptions = WebhookOptions;

/** What the handler gets besides the verified event: the original request (body already read) and the invocation context. */
export interface AzurePlatformContext {
  readonly request: HttpRequest;
  readonly context: InvocationContext;
}

export type AzureHttpHandler = (request: HttpRequest, context: InvocationContext) => Promise<HttpResponseInit>;

/** The adapter's options and what its handler gets besides the verified event. */
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import type { WebhookOptions } from '@twiml-guard/core';

/** The options of the Azure `twilioWebhook` and `withTwilioSignature`: the core's `WebhookOptions`. */
export type AzureFunctionsOptions = WebhookOptions;

/** What the handler gets besides the verified event: the original request (body already read) and the invocation context. */
export interface AzurePlatformContext {
  readonly request: HttpRequest;
  readonly context: InvocationContext;
}

/** An Azure Functions v4 HTTP handler, as `app.http(name, { handler })` takes it. */
export type AzureHttpHandler = (request: HttpRequest, context: InvocationContext) => Promise<HttpResponseInit>;

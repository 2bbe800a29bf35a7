/** The adapter's options and what its handler gets besides the verified event (the event and result shapes: events.ts). */
import type { WebhookOptions } from '@twiml-guard/core';
import type { LambdaContext, LambdaHttpEvent } from './events.js';
import type { EventSource } from './sources/detect-source.js';

/** The core's options, unchanged: `url` / `baseUrl` / `authToken` mean the same on every platform. */
export type AwsLambdaOptions = WebhookOptions;

/** The second argument of a `twilioWebhook` handler. */
export interface LambdaPlatformContext {
  /** The original Lambda event. */
  readonly event: LambdaHttpEvent;
  /** Lambda's context object (`undefined` when a test calls the handler with the event alone). */
  readonly context: LambdaContext | undefined;
  /** Which HTTP source sent the event (REST, HTTP API, Function URL, ALB). */
  readonly source: EventSource;
}

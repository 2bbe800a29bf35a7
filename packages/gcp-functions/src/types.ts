/** The Functions Framework (Express) shapes this adapter reads and writes, and its options. */
import type { IncomingHttpHeaders } from 'node:http';
import type { WebhookOptions } from '@twiml-guard/core';

/** The options of the GCP `twilioWebhook` and `withTwilioSignature`: the core's `WebhookOptions`. */
export type GcpFunctionsOptions = WebhookOptions;

/** What the adapter reads from the framework's Express request; an Express `Request` fits. */
export interface GcpHttpRequest {
  readonly method: string;
  readonly url: string;
  readonly originalUrl?: string;
  readonly headers: IncomingHttpHeaders;
  /** Set by the Functions Framework's body parsers: the bytes exactly as received. */
  readonly rawBody?: Buffer;
}

/** What the adapter writes to; an Express `Response` fits. */
export interface GcpHttpResponse {
  statusCode: number;
  readonly headersSent?: boolean;
  setHeader(name: string, value: string): unknown;
  end(body?: string): unknown;
}

/** What the handler gets besides the verified event: the Express `req` and `res`. */
export interface GcpPlatformContext<Req extends GcpHttpRequest = GcpHttpRequest, Res extends GcpHttpResponse = GcpHttpResponse> {
  readonly req: Req;
  readonly res: Res;
}

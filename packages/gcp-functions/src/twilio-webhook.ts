/**
 * `twilioWebhook(handler, options)` for Google Cloud Functions (gen1 and gen2) through the
 * Functions Framework: `functions.http('sms', twilioWebhook(...))`.
 */
import { createWebhookHandler, rejectUntranslatable, stderrJsonLogger, type WebhookHandler, type WebhookOptions } from '@twiml-guard/core';
import { gcpPlatformDefaults } from './platform-defaults.js';
import { sendResponse } from './send-response.js';
import { toWebhookRequest, type GcpHttpRequest } from './to-webhook-request.js';

export type GcpFunctionsOptions = WebhookOptions;

/** What the adapter writes to; an Express `Response` fits. */
export interface GcpHttpResponse {
  statusCode: number;
  readonly headersSent?: boolean;
  setHeader(name: string, value: string): unknown;
  end(body?: string): unknown;
}

export interface GcpPlatformContext<Req extends GcpHttpRequest = GcpHttpRequest, Res extends GcpHttpResponse = GcpHttpResponse> {
  readonly req: Req;
  readonly res: Res;
}

export function twilioWebhook<Req extends GcpHttpRequest = GcpHttpRequest, Res extends GcpHttpResponse = GcpHttpResponse>(
  handler: WebhookHandler<GcpPlatformContext<Req, Res>>,
  options: GcpFunctionsOptions = {},
): (req: Req, res: Res) => Promise<void> {
  const handle = createWebhookHandler(handler, options, gcpPlatformDefaults);
  const logger = options.logger ?? stderrJsonLogger;
  return async (req, res) => {
    const translated = toWebhookRequest(req, options.trustProxy === true);
    if (!translated.ok) {
      sendResponse(res, rejectUntranslatable(logger, gcpPlatformDefaults.name, translated.reason, { method: req.method }));
      return;
    }
    const response = await handle(translated.request, { req, res });
    // A handler that answered through res itself has already been heard.
    if (!res.headersSent) sendResponse(res, response);
  };
}

/**
 * Guards a Functions Framework HTTP handler the user already has: it runs, with the original
 * `req` and `res`, only for requests Twilio signed.
 */
import { createWebhookGuard, rejectUntranslatable, stderrJsonLogger } from '@twiml-guard/core';
import { gcpPlatformDefaults } from './platform-defaults.js';
import { sendResponse } from './send-response.js';
import { toWebhookRequest, type GcpHttpRequest } from './to-webhook-request.js';
import type { GcpFunctionsOptions, GcpHttpResponse } from './twilio-webhook.js';

export function withTwilioSignature<Req extends GcpHttpRequest, Res extends GcpHttpResponse>(
  gcpHandler: (req: Req, res: Res) => unknown,
  options: GcpFunctionsOptions = {},
): (req: Req, res: Res) => Promise<void> {
  const guard = createWebhookGuard(options, gcpPlatformDefaults);
  const logger = options.logger ?? stderrJsonLogger;
  return async (req, res) => {
    const translated = toWebhookRequest(req, options.trustProxy === true);
    if (!translated.ok) {
      sendResponse(res, rejectUntranslatable(logger, gcpPlatformDefaults.name, translated.reason, { method: req.method }));
      return;
    }
    const guarded = await guard(translated.request);
    if (!guarded.ok) {
      sendResponse(res, guarded.response);
      return;
    }
    await gcpHandler(req, res);
  };
}

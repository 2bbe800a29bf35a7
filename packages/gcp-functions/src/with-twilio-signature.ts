import { gcpAdapter } from './platform-adapter.js';
import type { GcpFunctionsOptions, GcpHttpRequest, GcpHttpResponse } from './types.js';

/**
 * Guards a Functions Framework HTTP handler you already have: it runs, with the original `req` and
 * `res`, only for requests Twilio signed. Others get a short refusal written to `res` and a log line.
 *
 * @param gcpHandler - Your handler, `(req, res) => unknown`.
 * @param options - The same options as `twilioWebhook` (`authToken`, `url` / `baseUrl`, `logger`...).
 * @returns The function to register, `(req, res) => Promise<void>`.
 * @example
 * ```ts
 * import * as functions from '@google-cloud/functions-framework';
 * import { withTwilioSignature } from '@twiml-guard/gcp-functions';
 * functions.http('sms', withTwilioSignature((req, res) => res.type('text/xml').send('<Response/>')));
 * ```
 */
export function withTwilioSignature<Req extends GcpHttpRequest, Res extends GcpHttpResponse>(
  gcpHandler: (req: Req, res: Res) => unknown,
  options: GcpFunctionsOptions = {},
): (req: Req, res: Res) => Promise<void> {
  const guard = gcpAdapter.guard(options);
  return async (req, res) => {
    const guarded = await guard([req, res]);
    if (guarded.ok) await gcpHandler(req, res);
  };
}

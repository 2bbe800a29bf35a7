// The load baseline on GCP: the template's handler with no guard (the framework-parsed body, no signature check).
import functions from '@google-cloud/functions-framework';
import { smsAutoReply } from '../../../templates/sms-auto-reply/handler.ts';

functions.http('sms', (req, res) => {
  res
    .type('text/xml')
    .send(
      String(smsAutoReply(/** @type {import('@twiml-guard/core').TwilioWebhookEvent} */ (/** @type {unknown} */ ({ params: req.body })))),
    );
});

// The two functions the load bench runs under serverless offline: the sms-auto-reply template's Lambda
// entry (guarded) and the same handler with no guard (bare), both bundled by serverless-esbuild.
import { smsAutoReply } from '../../../templates/sms-auto-reply/handler.js';
import type { TwilioWebhookEvent } from '@twiml-guard/core';

export { handler as guarded } from '../../../templates/sms-auto-reply/aws/index.js';

interface HttpApiEvent {
  readonly body?: string;
  readonly isBase64Encoded?: boolean;
}

export const bare = async (event: HttpApiEvent) => {
  const raw = event.isBase64Encoded ? Buffer.from(event.body ?? '', 'base64').toString('utf8') : (event.body ?? '');
  const params = Object.fromEntries(new URLSearchParams(raw));
  return {
    statusCode: 200,
    headers: { 'content-type': 'text/xml' },
    body: String(smsAutoReply({ params } as unknown as TwilioWebhookEvent)),
  };
};

// The two e2e functions: a TwiML reply built from the verified params.
import { twilioWebhook } from '@twiml-guard/aws-lambda';

const reply = twilioWebhook((event, platform) => {
  const body = String(event.params.Body ?? '').replace(/[<>&]/g, '');
  return `<?xml version="1.0" encoding="UTF-8"?><Response><Message>${platform.source}: ${body}</Message></Response>`;
});

export const rest = reply;
export const httpApi = reply;

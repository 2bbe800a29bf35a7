/**
 * Replies to every incoming SMS. Studio's "Make HTTP Request" (a JSON webhook) gets the same reply
 * as JSON, which a later widget can read as `{{widgets.<name>.parsed.reply}}`.
 * Only requests Twilio signed reach this function: the adapter checked them first.
 */
import { MessagingResponse, type HandlerResult, type TwilioWebhookEvent } from '@twiml-guard/core';

function replyTo(body: string | undefined): string {
  return body ? `Thanks! We got your message: ${body}` : 'Thanks! We got your message.';
}

export function smsAutoReply(event: TwilioWebhookEvent): HandlerResult {
  if (event.json !== undefined) {
    const fields = typeof event.json === 'object' && event.json !== null ? (event.json as Record<string, unknown>) : {};
    const body = typeof fields.Body === 'string' ? fields.Body : undefined;
    return { headers: { 'content-type': 'application/json' }, body: JSON.stringify({ reply: replyTo(body) }) };
  }
  const body = event.params.Body;
  const twiml = new MessagingResponse();
  twiml.message(replyTo(typeof body === 'string' ? body : body?.[0]));
  return twiml;
}

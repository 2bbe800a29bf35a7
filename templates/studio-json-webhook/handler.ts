/**
 * The endpoint of a Studio "Make HTTP Request" widget. With content type Application/JSON, Twilio
 * adds `?bodySHA256=<hex>` to the URL, signs the URL only, and the adapter checks the raw body
 * against that hash before this runs; with Form URL Encoded it is a normal signed form post.
 * Either way the flow gets JSON back, readable as `{{widgets.<widget>.parsed.reply}}`.
 */
import type { HandlerResult, TwilioWebhookEvent } from '@twiml-guard/core';

export interface StudioReply {
  readonly reply: string;
  readonly channel: string;
  /** Which encoding the widget used: the flow author can check it in the Studio logs. */
  readonly received: 'json' | 'form';
}

function field(fields: Readonly<Record<string, unknown>>, name: string): string | undefined {
  const value = fields[name];
  if (typeof value === 'string') return value;
  return Array.isArray(value) && typeof value[0] === 'string' ? value[0] : undefined;
}

export function studioJsonWebhook(event: TwilioWebhookEvent): HandlerResult {
  const isJson = event.json !== undefined;
  const fields: Readonly<Record<string, unknown>> = isJson
    ? typeof event.json === 'object' && event.json !== null && !Array.isArray(event.json)
      ? (event.json as Record<string, unknown>)
      : {}
    : event.params;
  const body = field(fields, 'Body');
  const reply: StudioReply = {
    reply: body ? `Studio said: ${body}` : 'Studio said nothing.',
    channel: field(fields, 'Channel') ?? 'unknown',
    received: isJson ? 'json' : 'form',
  };
  return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(reply) };
}

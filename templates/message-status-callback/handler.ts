/**
 * A message status callback (`StatusCallback` on a sent message, or the Messaging Service's
 * status callback URL): logs the delivery status as one JSON line and answers 204 No Content,
 * which is all Twilio needs. Only requests Twilio signed reach this function: the adapter checked them first.
 */
import type { HandlerResult, TwilioWebhookEvent } from '@twiml-guard/core';

function single(value: string | readonly string[] | undefined): string | undefined {
  return typeof value === 'string' ? value : value?.[0];
}

export interface MessageStatus {
  readonly messageSid?: string;
  readonly status?: string;
  readonly errorCode?: string;
  readonly to?: string;
}

export function readMessageStatus(event: TwilioWebhookEvent): MessageStatus {
  const { params } = event;
  return {
    messageSid: single(params.MessageSid) ?? single(params.SmsSid),
    status: single(params.MessageStatus) ?? single(params.SmsStatus),
    errorCode: single(params.ErrorCode),
    to: single(params.To),
  };
}

export function messageStatusCallback(event: TwilioWebhookEvent): HandlerResult {
  const status = readMessageStatus(event);
  const failed = status.status === 'failed' || status.status === 'undelivered';
  // One JSON line per callback: CloudWatch, Application Insights, Cloud Logging and the Twilio console all index it.
  (failed ? console.warn : console.log)(JSON.stringify({ msg: 'message status', ...status }));
  return { status: 204 };
}

import type { MessageAttributes as MessageAttributesType, RedirectAttributes as RedirectAttributesType } from './attributes.js';
import { Message as MessageVerb } from './message.js';
import { appendElement, TwimlNode } from './node.js';

/**
 * `<Response>` for messages, shaped like twilio-node's `twiml.MessagingResponse`.
 *
 * @example
 * ```ts
 * import { MessagingResponse, twilioWebhook } from '@twiml-guard/aws-lambda'; // or any adapter
 *
 * export const handler = twilioWebhook(() => {
 *   const twiml = new MessagingResponse();
 *   twiml.message('Thanks, we got your message.');
 *   return twiml; // the handler's result: sent as text/xml
 * });
 * ```
 */
export class MessagingResponse extends TwimlNode {
  constructor() {
    super('Response');
  }

  /** Adds `<Message>`: a reply (or, with `to`, a message to another number). Returns it, to add `<Media>`. */
  message(body?: string): MessageVerb;
  /** Adds `<Message>`: a reply (or, with `to`, a message to another number). Returns it, to add `<Media>`. */
  message(attributes?: MessageAttributesType, body?: string): MessageVerb;
  message(attributesOrBody?: MessageAttributesType | string, body?: string): MessageVerb {
    return appendElement(this, 'Message', attributesOrBody, body, MessageVerb);
  }

  /** Adds `<Redirect>`: Twilio fetches the TwiML at `url` next. */
  redirect(url: string): TwimlNode;
  /** Adds `<Redirect>`: Twilio fetches the TwiML at `url` next. */
  redirect(attributes: RedirectAttributesType, url: string): TwimlNode;
  redirect(attributesOrUrl: RedirectAttributesType | string, url?: string): TwimlNode {
    return appendElement(this, 'Redirect', attributesOrUrl, url, TwimlNode);
  }
}

// Type names twilio-node code refers to (`MessagingResponse.MessageAttributes`, `.Message`).
export declare namespace MessagingResponse {
  type MessageAttributes = MessageAttributesType;
  type RedirectAttributes = RedirectAttributesType;
  type Message = MessageVerb;
}

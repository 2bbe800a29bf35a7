import { appendElement, TwimlNode } from './node.js';

/** `<Message>` and its `<Body>`/`<Media>` nouns. */
export class Message extends TwimlNode {
  body(text: string): TwimlNode;
  body(attributes: object, text: string): TwimlNode;
  body(attributesOrText: object | string, text?: string): TwimlNode {
    return appendElement(this, 'Body', attributesOrText, text, TwimlNode);
  }

  media(url: string): TwimlNode;
  media(attributes: object, url: string): TwimlNode;
  media(attributesOrUrl: object | string, url?: string): TwimlNode {
    return appendElement(this, 'Media', attributesOrUrl, url, TwimlNode);
  }
}

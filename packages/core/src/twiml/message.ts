import { appendElement, TwimlNode } from './node.js';

/** `<Message>` and its `<Body>`/`<Media>` nouns. */
export class Message extends TwimlNode {
  /** Adds `<Body>`: the message text. */
  body(text: string): TwimlNode;
  /** Adds `<Body>`: the message text. */
  body(attributes: object, text: string): TwimlNode;
  body(attributesOrText: object | string, text?: string): TwimlNode {
    return appendElement(this, 'Body', attributesOrText, text, TwimlNode);
  }

  /** Adds `<Media>`: an image or file to send, by URL. */
  media(url: string): TwimlNode;
  /** Adds `<Media>`: an image or file to send, by URL. */
  media(attributes: object, url: string): TwimlNode;
  media(attributesOrUrl: object | string, url?: string): TwimlNode {
    return appendElement(this, 'Media', attributesOrUrl, url, TwimlNode);
  }
}

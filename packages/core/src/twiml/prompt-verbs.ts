import type { PauseAttributes, PlayAttributes, SayAttributes } from './attributes.js';
import { appendElement, TwimlNode } from './node.js';

/** The verbs that may stand alone in a `<Response>` and also nest inside `<Gather>`. */
export class PromptVerbs extends TwimlNode {
  say(message: string): TwimlNode;
  say(attributes: SayAttributes, message: string): TwimlNode;
  say(attributesOrMessage: SayAttributes | string, message?: string): TwimlNode {
    return appendElement(this, 'Say', attributesOrMessage, message, TwimlNode);
  }

  play(url?: string): TwimlNode;
  play(attributes?: PlayAttributes, url?: string): TwimlNode;
  play(attributesOrUrl?: PlayAttributes | string, url?: string): TwimlNode {
    return appendElement(this, 'Play', attributesOrUrl, url, TwimlNode);
  }

  pause(attributes?: PauseAttributes): TwimlNode {
    return appendElement(this, 'Pause', attributes, undefined, TwimlNode);
  }
}

import type { PauseAttributes, PlayAttributes, SayAttributes } from './attributes.js';
import { appendElement, TwimlNode } from './node.js';

/** The verbs that may stand alone in a `<Response>` and also nest inside `<Gather>`. */
export class PromptVerbs extends TwimlNode {
  /** Adds `<Say>`: reads `message` to the caller. */
  say(message: string): TwimlNode;
  /** Adds `<Say>`: reads `message` to the caller. */
  say(attributes: SayAttributes, message: string): TwimlNode;
  say(attributesOrMessage: SayAttributes | string, message?: string): TwimlNode {
    return appendElement(this, 'Say', attributesOrMessage, message, TwimlNode);
  }

  /** Adds `<Play>`: plays the audio at `url` (or, with `digits`, sends tones). */
  play(url?: string): TwimlNode;
  /** Adds `<Play>`: plays the audio at `url` (or, with `digits`, sends tones). */
  play(attributes?: PlayAttributes, url?: string): TwimlNode;
  play(attributesOrUrl?: PlayAttributes | string, url?: string): TwimlNode {
    return appendElement(this, 'Play', attributesOrUrl, url, TwimlNode);
  }

  /** Adds `<Pause>`: waits `length` seconds (1 by default). */
  pause(attributes?: PauseAttributes): TwimlNode {
    return appendElement(this, 'Pause', attributes, undefined, TwimlNode);
  }
}

import type * as Attributes from './attributes.js';
import { Dial as DialNoun } from './dial.js';
import { Gather as GatherVerb } from './gather.js';
import { appendElement, TwimlNode } from './node.js';
import { PromptVerbs } from './prompt-verbs.js';

/**
 * `<Response>` for voice calls, shaped like twilio-node's `twiml.VoiceResponse`.
 *
 * @example
 * ```ts
 * import { twilioWebhook, VoiceResponse } from '@twiml-guard/aws-lambda'; // or any adapter
 *
 * export const handler = twilioWebhook(() => {
 *   const twiml = new VoiceResponse();
 *   twiml.gather({ input: ['dtmf'], action: '/menu' }).say('Press 1 for sales.');
 *   return twiml;
 * });
 * ```
 */
export class VoiceResponse extends PromptVerbs {
  constructor() {
    super('Response');
  }

  /** Adds `<Gather>`: collects digits or speech; nest `say`/`play`/`pause` in the returned element. */
  gather(attributes?: Attributes.GatherAttributes): GatherVerb {
    return appendElement(this, 'Gather', attributes, undefined, GatherVerb);
  }

  /** Adds `<Dial>`: connects the call to a number, or to the nouns added to the returned element. */
  dial(number?: string): DialNoun;
  /** Adds `<Dial>`: connects the call to a number, or to the nouns added to the returned element. */
  dial(attributes?: Attributes.DialAttributes, number?: string): DialNoun;
  dial(attributesOrNumber?: Attributes.DialAttributes | string, number?: string): DialNoun {
    return appendElement(this, 'Dial', attributesOrNumber, number, DialNoun);
  }

  /** Adds `<Record>`: records the caller. */
  record(attributes?: Attributes.RecordAttributes): TwimlNode {
    return appendElement(this, 'Record', attributes, undefined, TwimlNode);
  }

  /** Adds `<Redirect>`: Twilio fetches the TwiML at `url` next. */
  redirect(url: string): TwimlNode;
  /** Adds `<Redirect>`: Twilio fetches the TwiML at `url` next. */
  redirect(attributes: Attributes.RedirectAttributes, url: string): TwimlNode;
  redirect(attributesOrUrl: Attributes.RedirectAttributes | string, url?: string): TwimlNode {
    return appendElement(this, 'Redirect', attributesOrUrl, url, TwimlNode);
  }

  /** Adds `<Hangup>`: ends the call. */
  hangup(attributes?: object): TwimlNode {
    return appendElement(this, 'Hangup', attributes, undefined, TwimlNode);
  }

  /** Adds `<Reject>`: refuses the call without answering it. */
  reject(attributes?: Attributes.RejectAttributes): TwimlNode {
    return appendElement(this, 'Reject', attributes, undefined, TwimlNode);
  }

  /** Adds `<Enqueue>`: puts the caller in the named queue. */
  enqueue(name?: string): TwimlNode;
  /** Adds `<Enqueue>`: puts the caller in the named queue. */
  enqueue(attributes?: Attributes.EnqueueAttributes, name?: string): TwimlNode;
  enqueue(attributesOrName?: Attributes.EnqueueAttributes | string, name?: string): TwimlNode {
    return appendElement(this, 'Enqueue', attributesOrName, name, TwimlNode);
  }
}

// Type names twilio-node code refers to (`VoiceResponse.SayAttributes`, `VoiceResponse.Gather`),
// so switching the import keeps annotations compiling.
export declare namespace VoiceResponse {
  type SayAttributes = Attributes.SayAttributes;
  type PlayAttributes = Attributes.PlayAttributes;
  type PauseAttributes = Attributes.PauseAttributes;
  type GatherAttributes = Attributes.GatherAttributes;
  type DialAttributes = Attributes.DialAttributes;
  type NumberAttributes = Attributes.NumberAttributes;
  type ClientAttributes = Attributes.ClientAttributes;
  type SipAttributes = Attributes.SipAttributes;
  type ConferenceAttributes = Attributes.ConferenceAttributes;
  type RecordAttributes = Attributes.RecordAttributes;
  type RedirectAttributes = Attributes.RedirectAttributes;
  type RejectAttributes = Attributes.RejectAttributes;
  type EnqueueAttributes = Attributes.EnqueueAttributes;
  type Gather = GatherVerb;
  type Dial = DialNoun;
}

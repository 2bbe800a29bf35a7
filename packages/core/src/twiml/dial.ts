import type { ClientAttributes, ConferenceAttributes, NumberAttributes, SipAttributes } from './attributes.js';
import { appendElement, TwimlNode } from './node.js';

/** `<Dial>` and the nouns it connects the call to. */
export class Dial extends TwimlNode {
  number(phoneNumber: string): TwimlNode;
  number(attributes: NumberAttributes, phoneNumber: string): TwimlNode;
  number(attributesOrNumber: NumberAttributes | string, phoneNumber?: string): TwimlNode {
    return appendElement(this, 'Number', attributesOrNumber, phoneNumber, TwimlNode);
  }

  client(identity?: string): TwimlNode;
  client(attributes?: ClientAttributes, identity?: string): TwimlNode;
  client(attributesOrIdentity?: ClientAttributes | string, identity?: string): TwimlNode {
    return appendElement(this, 'Client', attributesOrIdentity, identity, TwimlNode);
  }

  sip(sipUrl?: string): TwimlNode;
  sip(attributes?: SipAttributes, sipUrl?: string): TwimlNode;
  sip(attributesOrUrl?: SipAttributes | string, sipUrl?: string): TwimlNode {
    return appendElement(this, 'Sip', attributesOrUrl, sipUrl, TwimlNode);
  }

  conference(name: string): TwimlNode;
  conference(attributes: ConferenceAttributes, name: string): TwimlNode;
  conference(attributesOrName: ConferenceAttributes | string, name?: string): TwimlNode {
    return appendElement(this, 'Conference', attributesOrName, name, TwimlNode);
  }
}

import type { ClientAttributes, ConferenceAttributes, NumberAttributes, SipAttributes } from './attributes.js';
import { appendElement, TwimlNode } from './node.js';

/** `<Dial>` and the nouns it connects the call to. */
export class Dial extends TwimlNode {
  /** Adds `<Number>`: a phone number to call. */
  number(phoneNumber: string): TwimlNode;
  /** Adds `<Number>`: a phone number to call. */
  number(attributes: NumberAttributes, phoneNumber: string): TwimlNode;
  number(attributesOrNumber: NumberAttributes | string, phoneNumber?: string): TwimlNode {
    return appendElement(this, 'Number', attributesOrNumber, phoneNumber, TwimlNode);
  }

  /** Adds `<Client>`: a Twilio Client identity to call. */
  client(identity?: string): TwimlNode;
  /** Adds `<Client>`: a Twilio Client identity to call. */
  client(attributes?: ClientAttributes, identity?: string): TwimlNode;
  client(attributesOrIdentity?: ClientAttributes | string, identity?: string): TwimlNode {
    return appendElement(this, 'Client', attributesOrIdentity, identity, TwimlNode);
  }

  /** Adds `<Sip>`: a SIP endpoint to call. */
  sip(sipUrl?: string): TwimlNode;
  /** Adds `<Sip>`: a SIP endpoint to call. */
  sip(attributes?: SipAttributes, sipUrl?: string): TwimlNode;
  sip(attributesOrUrl?: SipAttributes | string, sipUrl?: string): TwimlNode {
    return appendElement(this, 'Sip', attributesOrUrl, sipUrl, TwimlNode);
  }

  /** Adds `<Conference>`: joins the named conference room. */
  conference(name: string): TwimlNode;
  /** Adds `<Conference>`: joins the named conference room. */
  conference(attributes: ConferenceAttributes, name: string): TwimlNode;
  conference(attributesOrName: ConferenceAttributes | string, name?: string): TwimlNode {
    return appendElement(this, 'Conference', attributesOrName, name, TwimlNode);
  }
}

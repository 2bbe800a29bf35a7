// A small typed TwiML builder: same calls and byte-identical output as twilio-node's
// `twiml.VoiceResponse` / `twiml.MessagingResponse`, without the twilio package in the bundle.
export { VoiceResponse } from './voice-response.js';
export { MessagingResponse } from './messaging-response.js';
export { Gather } from './gather.js';
export { Dial } from './dial.js';
export { Message } from './message.js';
export { PromptVerbs } from './prompt-verbs.js';
export { TwimlNode, emptyResponse } from './node.js';
export type { TwimlAttributeValue } from './node.js';
export { escapeXmlText, escapeXmlAttribute } from './escape.js';
export type {
  SayAttributes,
  PlayAttributes,
  PauseAttributes,
  GatherAttributes,
  DialAttributes,
  NumberAttributes,
  ClientAttributes,
  SipAttributes,
  ConferenceAttributes,
  RecordAttributes,
  RedirectAttributes,
  RejectAttributes,
  EnqueueAttributes,
  MessageAttributes,
} from './attributes.js';

/**
 * Attributes of the TwiML verbs and nouns this builder covers, named as in twilio-node's
 * typings so code written against twilio keeps compiling. Open-ended values (voices,
 * languages, ring tones) are plain strings; Twilio's docs list the accepted ones.
 */

type HttpMethod = 'GET' | 'POST' | (string & {});
type CallProgressEvent = 'initiated' | 'ringing' | 'answered' | 'completed';
type RecordingEvent = 'in-progress' | 'completed' | 'absent';
type Trim = 'trim-silence' | 'do-not-trim';

/** Attributes of `<Say>`: text read to the caller. */
export interface SayAttributes {
  voice?: string;
  language?: string;
  loop?: number;
}

/** Attributes of `<Play>`: an audio file played, or digits sent as tones. */
export interface PlayAttributes {
  loop?: number;
  digits?: string;
}

/** Attributes of `<Pause>`: `length` seconds of silence. */
export interface PauseAttributes {
  length?: number;
}

/** Attributes of `<Gather>`: digits or speech collected and posted to `action`. */
export interface GatherAttributes {
  input?: ('dtmf' | 'speech')[];
  action?: string;
  method?: HttpMethod;
  timeout?: number;
  numDigits?: number;
  finishOnKey?: string;
  speechTimeout?: string;
  speechModel?: string;
  hints?: string;
  language?: string;
  profanityFilter?: boolean;
  partialResultCallback?: string;
  partialResultCallbackMethod?: HttpMethod;
  actionOnEmptyResult?: boolean;
  bargeIn?: boolean;
  enhanced?: boolean;
  maxSpeechTime?: number;
  debug?: boolean;
}

/** Attributes of `<Dial>`: the call connected to another party. */
export interface DialAttributes {
  action?: string;
  method?: HttpMethod;
  callerId?: string;
  timeout?: number;
  timeLimit?: number;
  answerOnBridge?: boolean;
  hangupOnStar?: boolean;
  record?: 'do-not-record' | 'record-from-answer' | 'record-from-ringing' | 'record-from-answer-dual' | 'record-from-ringing-dual';
  recordingStatusCallback?: string;
  recordingStatusCallbackMethod?: HttpMethod;
  recordingStatusCallbackEvent?: RecordingEvent[];
  recordingTrack?: 'both' | 'inbound' | 'outbound';
  ringTone?: string;
  sequential?: boolean;
  trim?: Trim;
  referUrl?: string;
  referMethod?: HttpMethod;
  events?: 'call-progress-event';
}

interface CallLegAttributes {
  url?: string;
  method?: HttpMethod;
  statusCallback?: string;
  statusCallbackMethod?: HttpMethod;
  statusCallbackEvent?: CallProgressEvent[];
}

interface MachineDetectionAttributes {
  machineDetection?: string;
  machineDetectionTimeout?: number;
  machineDetectionSpeechThreshold?: number;
  machineDetectionSpeechEndThreshold?: number;
  machineDetectionSilenceTimeout?: number;
  amdStatusCallback?: string;
  amdStatusCallbackMethod?: HttpMethod;
}

/** Attributes of `<Number>` inside `<Dial>`: a phone number to call. */
export interface NumberAttributes extends CallLegAttributes, MachineDetectionAttributes {
  sendDigits?: string;
  byoc?: string;
}

/** Attributes of `<Client>` inside `<Dial>`: a Twilio Client identity to call. */
export type ClientAttributes = CallLegAttributes;

/** Attributes of `<Sip>` inside `<Dial>`: a SIP endpoint to call. */
export interface SipAttributes extends CallLegAttributes, MachineDetectionAttributes {
  username?: string;
  password?: string;
}

/** Attributes of `<Conference>` inside `<Dial>`: a named conference room. */
export interface ConferenceAttributes {
  startConferenceOnEnter?: boolean;
  endConferenceOnExit?: boolean;
  muted?: boolean;
  beep?: boolean | 'true' | 'false' | 'onEnter' | 'onExit';
  waitUrl?: string;
  waitMethod?: HttpMethod;
  maxParticipants?: number;
  record?: 'do-not-record' | 'record-from-start';
  region?: string;
  trim?: Trim;
  coach?: string;
  participantLabel?: string;
  jitterBufferSize?: 'large' | 'medium' | 'small' | 'off';
  eventCallbackUrl?: string;
  statusCallback?: string;
  statusCallbackMethod?: HttpMethod;
  statusCallbackEvent?: ('start' | 'end' | 'join' | 'leave' | 'mute' | 'hold' | 'modify' | 'speaker' | 'announcement')[];
  recordingStatusCallback?: string;
  recordingStatusCallbackMethod?: HttpMethod;
  recordingStatusCallbackEvent?: RecordingEvent[];
}

/** Attributes of `<Record>`: the caller's voice recorded. */
export interface RecordAttributes {
  action?: string;
  method?: HttpMethod;
  timeout?: number;
  finishOnKey?: string;
  maxLength?: number;
  playBeep?: boolean;
  trim?: Trim;
  transcribe?: boolean;
  transcribeCallback?: string;
  recordingStatusCallback?: string;
  recordingStatusCallbackMethod?: HttpMethod;
  recordingStatusCallbackEvent?: RecordingEvent[];
}

/** Attributes of `<Redirect>`: control passed to the TwiML at another URL. */
export interface RedirectAttributes {
  method?: HttpMethod;
}

/** Attributes of `<Reject>`: an incoming call refused without being answered. */
export interface RejectAttributes {
  reason?: 'rejected' | 'busy';
}

/** Attributes of `<Enqueue>`: the caller placed in a queue. */
export interface EnqueueAttributes {
  action?: string;
  method?: HttpMethod;
  waitUrl?: string;
  waitUrlMethod?: HttpMethod;
  workflowSid?: string;
  maxQueueSize?: number;
}

/** Attributes of `<Message>`: a reply message, or one sent to `to`. */
export interface MessageAttributes {
  to?: string;
  from?: string;
  action?: string;
  method?: HttpMethod;
  statusCallback?: string;
}

/**
 * Realistic webhook payloads, field for field what Twilio sends for each event. Every call gets
 * fresh SIDs; `AccountSid` defaults to `DEFAULT_ACCOUNT_SID`; overrides replace or add fields.
 */
import { DEFAULT_ACCOUNT_SID, fakeSid } from './fake-sids.js';
import type { WebhookParams } from './form-encoding.js';

/** The webhook events there is a preset for. */
export type PresetName = 'sms' | 'mms' | 'call' | 'gather' | 'message-status' | 'call-status' | 'studio-json';

/** A preset's payload: form fields, or JSON for Studio's "Make HTTP Request". */
export type PresetPayload =
  | { readonly kind: 'form'; readonly params: Record<string, string | string[]> }
  | { readonly kind: 'json'; readonly json: Record<string, unknown> };

/** Fields that replace or add to a preset's. */
export type FormOverrides = Readonly<Record<string, string | string[]>>;

/** Every preset name, in the order the CLI lists them. */
export const PRESET_NAMES: readonly PresetName[] = ['sms', 'mms', 'call', 'gather', 'message-status', 'call-status', 'studio-json'];

const OUR_NUMBER = '+15017122661';
const CALLER_NUMBER = '+15558675310';
const API_VERSION = '2010-04-01';

/** Whether a CLI argument names a preset. */
export function isPresetName(name: string): name is PresetName {
  return (PRESET_NAMES as readonly string[]).includes(name);
}

/**
 * The fields of an incoming SMS webhook, with fresh SIDs.
 * @param overrides - fields that replace or add to the preset's, e.g. `{ Body: 'STOP' }`
 * @example
 * ```ts
 * import { sendTwilioWebhook, smsPreset } from '@twiml-guard/testing';
 *
 * await sendTwilioWebhook({ url: 'http://127.0.0.1:3000/sms', authToken: 'test-token', params: smsPreset({ Body: 'hello' }) });
 * ```
 */
export function smsPreset(overrides: FormOverrides = {}): Record<string, string | string[]> {
  const messageSid = fakeSid('SM');
  return {
    ToCountry: 'US',
    ToState: 'CA',
    SmsMessageSid: messageSid,
    NumMedia: '0',
    ToCity: 'SAN FRANCISCO',
    FromZip: '94105',
    SmsSid: messageSid,
    FromState: 'CA',
    SmsStatus: 'received',
    FromCity: 'SAN FRANCISCO',
    Body: 'Hello from twiml-guard',
    FromCountry: 'US',
    To: OUR_NUMBER,
    ToZip: '94108',
    NumSegments: '1',
    MessageSid: messageSid,
    AccountSid: DEFAULT_ACCOUNT_SID,
    From: CALLER_NUMBER,
    ApiVersion: API_VERSION,
    ...overrides,
  };
}

/**
 * The fields of an incoming MMS webhook (one image), with fresh SIDs.
 * @param overrides - fields that replace or add to the preset's
 */
export function mmsPreset(overrides: FormOverrides = {}): Record<string, string | string[]> {
  const messageSid = fakeSid('MM');
  const sms = smsPreset();
  const mediaUrl = (): string =>
    `https://api.twilio.com/${API_VERSION}/Accounts/${DEFAULT_ACCOUNT_SID}/Messages/${messageSid}/Media/${fakeSid('ME')}`;
  return {
    ...sms,
    SmsMessageSid: messageSid,
    SmsSid: messageSid,
    MessageSid: messageSid,
    Body: 'Two pictures',
    NumMedia: '2',
    MediaContentType0: 'image/jpeg',
    MediaUrl0: mediaUrl(),
    MediaContentType1: 'image/png',
    MediaUrl1: mediaUrl(),
    ...overrides,
  };
}

/**
 * The fields of an incoming voice call webhook, with a fresh CallSid.
 * @param overrides - fields that replace or add to the preset's
 */
export function callPreset(overrides: FormOverrides = {}): Record<string, string | string[]> {
  return {
    Called: OUR_NUMBER,
    ToState: 'CA',
    CallerCountry: 'US',
    Direction: 'inbound',
    CallerState: 'CA',
    ToZip: '94108',
    CallSid: fakeSid('CA'),
    To: OUR_NUMBER,
    CallerZip: '94105',
    ToCountry: 'US',
    CallToken: '',
    CalledZip: '94108',
    ApiVersion: API_VERSION,
    CalledCity: 'SAN FRANCISCO',
    CallStatus: 'ringing',
    From: CALLER_NUMBER,
    AccountSid: DEFAULT_ACCOUNT_SID,
    CalledCountry: 'US',
    CallerCity: 'SAN FRANCISCO',
    ToCity: 'SAN FRANCISCO',
    FromCountry: 'US',
    Caller: CALLER_NUMBER,
    FromCity: 'SAN FRANCISCO',
    CalledState: 'CA',
    FromZip: '94105',
    FromState: 'CA',
    ...overrides,
  };
}

/** The `action` request of `<Gather input="dtmf">`: the call's fields plus what was pressed. */
/**
 * The fields of a `<Gather>` action callback (digits pressed).
 * @param overrides - fields that replace or add to the preset's
 */
export function gatherPreset(overrides: FormOverrides = {}): Record<string, string | string[]> {
  return {
    ...callPreset(),
    CallStatus: 'in-progress',
    Digits: '1234',
    FinishedOnKey: '#',
    msg: 'Gather End',
    ...overrides,
  };
}

/** A message `statusCallback`: delivered, so no `ErrorCode`. */
/**
 * The fields of a message status callback.
 * @param overrides - fields that replace or add to the preset's
 */
export function messageStatusPreset(overrides: FormOverrides = {}): Record<string, string | string[]> {
  const messageSid = fakeSid('SM');
  return {
    SmsSid: messageSid,
    SmsStatus: 'delivered',
    MessageStatus: 'delivered',
    To: CALLER_NUMBER,
    MessagingServiceSid: fakeSid('MG'),
    MessageSid: messageSid,
    AccountSid: DEFAULT_ACCOUNT_SID,
    From: OUR_NUMBER,
    ApiVersion: API_VERSION,
    ...overrides,
  };
}

/** A call `statusCallback` for the `completed` event. */
/**
 * The fields of a call status callback.
 * @param overrides - fields that replace or add to the preset's
 */
export function callStatusPreset(overrides: FormOverrides = {}): Record<string, string | string[]> {
  return {
    ...callPreset(),
    CallStatus: 'completed',
    CallDuration: '42',
    Duration: '1',
    Timestamp: new Date().toUTCString().replace('GMT', '+0000'),
    CallbackSource: 'call-progress-events',
    SequenceNumber: '0',
    SipResponseCode: '200',
    ...overrides,
  };
}

/** What a Studio "Make HTTP Request" widget with content type JSON sends: the body the flow author wrote. */
/**
 * The JSON body of a Studio "Make HTTP Request" widget.
 * @param overrides - fields that replace or add to the preset's
 */
export function studioJsonPreset(overrides: Readonly<Record<string, unknown>> = {}): Record<string, unknown> {
  return {
    AccountSid: DEFAULT_ACCOUNT_SID,
    FlowSid: fakeSid('FW'),
    ExecutionSid: fakeSid('FN'),
    From: CALLER_NUMBER,
    To: OUR_NUMBER,
    Body: 'Hello from Studio',
    Channel: 'sms',
    ...overrides,
  };
}

/** Any preset by name; `studio-json` gives JSON, all others form fields. */
export function presetPayload(name: PresetName, overrides: FormOverrides = {}): PresetPayload {
  switch (name) {
    case 'sms':
      return { kind: 'form', params: smsPreset(overrides) };
    case 'mms':
      return { kind: 'form', params: mmsPreset(overrides) };
    case 'call':
      return { kind: 'form', params: callPreset(overrides) };
    case 'gather':
      return { kind: 'form', params: gatherPreset(overrides) };
    case 'message-status':
      return { kind: 'form', params: messageStatusPreset(overrides) };
    case 'call-status':
      return { kind: 'form', params: callStatusPreset(overrides) };
    case 'studio-json':
      return { kind: 'json', json: studioJsonPreset(overrides) };
  }
}

/** Spread into `signTwilioRequest` / `sendTwilioWebhook` options: `{ params }` or `{ json }`. */
export function presetRequestBody(
  name: PresetName,
  overrides: FormOverrides = {},
): { params: WebhookParams } | { json: Record<string, unknown> } {
  const payload = presetPayload(name, overrides);
  return payload.kind === 'form' ? { params: payload.params } : { json: payload.json };
}

import twilio from 'twilio';
import {
  DEFAULT_ACCOUNT_SID,
  PRESET_NAMES,
  callPreset,
  callStatusPreset,
  fakeSid,
  gatherPreset,
  isSid,
  messageStatusPreset,
  mmsPreset,
  presetPayload,
  presetRequestBody,
  signTwilioRequest,
  smsPreset,
  studioJsonPreset,
} from '@twiml-guard/testing';
import { SMS_FIELDS_IN_ARRIVAL_ORDER } from '@twiml-guard/test-support/sms-fields';
import { decodeForm } from './oracle.js';

const SID = /^[A-Z]{2}[0-9a-f]{32}$/;

describe('fake SIDs', () => {
  it('look real: two-letter prefix and 32 hex, fresh every time', () => {
    expect(DEFAULT_ACCOUNT_SID).toMatch(/^AC[0-9a-f]{32}$/);
    const first = fakeSid('SM');
    expect(first).toMatch(/^SM[0-9a-f]{32}$/);
    expect(fakeSid('SM')).not.toBe(first);
    expect(isSid(first, 'SM')).toBe(true);
    expect(isSid(first, 'CA')).toBe(false);
    expect(() => fakeSid('sm')).toThrow(/two capital letters/);
  });
});

describe('presets', () => {
  it('sms has every field of an incoming SMS', () => {
    const sms = smsPreset();
    expect(Object.keys(sms).sort()).toEqual([...SMS_FIELDS_IN_ARRIVAL_ORDER].sort());
    expect(sms).toMatchObject({ NumMedia: '0', SmsStatus: 'received', ApiVersion: '2010-04-01', AccountSid: DEFAULT_ACCOUNT_SID });
    expect(sms.MessageSid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(sms.SmsSid).toBe(sms.MessageSid);
    expect(sms.SmsMessageSid).toBe(sms.MessageSid);
    expect(sms.From).toMatch(/^\+1\d{10}$/);
  });

  it('mms carries two media items', () => {
    const mms = mmsPreset();
    expect(mms).toMatchObject({ NumMedia: '2', MediaContentType0: 'image/jpeg', MediaContentType1: 'image/png' });
    expect(mms.MessageSid).toMatch(/^MM[0-9a-f]{32}$/);
    expect(mms.MediaUrl0).toMatch(
      new RegExp(
        `^https://api\\.twilio\\.com/2010-04-01/Accounts/${DEFAULT_ACCOUNT_SID}/Messages/${String(mms.MessageSid)}/Media/ME[0-9a-f]{32}$`,
      ),
    );
    expect(mms.MediaUrl1).not.toBe(mms.MediaUrl0);
  });

  it('call, gather and call-status describe an inbound call', () => {
    const call = callPreset();
    expect(call).toMatchObject({ CallStatus: 'ringing', Direction: 'inbound', ApiVersion: '2010-04-01', AccountSid: DEFAULT_ACCOUNT_SID });
    expect(call.CallSid).toMatch(/^CA[0-9a-f]{32}$/);
    expect(call.Caller).toBe(call.From);
    expect(call.Called).toBe(call.To);
    expect(gatherPreset()).toMatchObject({ Digits: '1234', FinishedOnKey: '#', CallStatus: 'in-progress', Direction: 'inbound' });
    const status = callStatusPreset();
    expect(status).toMatchObject({ CallStatus: 'completed', CallDuration: '42' });
    expect(status.Timestamp).toMatch(/^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} \+0000$/);
  });

  it('message-status is a delivered callback without ErrorCode', () => {
    const status = messageStatusPreset();
    expect(status).toMatchObject({ MessageStatus: 'delivered', SmsStatus: 'delivered', AccountSid: DEFAULT_ACCOUNT_SID });
    expect(status.MessageSid).toMatch(SID);
    expect(status).not.toHaveProperty('ErrorCode');
  });

  it('studio-json is a JSON object', () => {
    const json = studioJsonPreset({ Body: 'custom' });
    expect(json).toMatchObject({ AccountSid: DEFAULT_ACCOUNT_SID, Body: 'custom' });
    expect(json.FlowSid).toMatch(/^FW[0-9a-f]{32}$/);
    expect(presetPayload('studio-json').kind).toBe('json');
  });

  it('overrides replace and add fields, including repeated keys', () => {
    const sms = smsPreset({ Body: 'STOP', AccountSid: 'AC11111111111111111111111111111111', Extra: ['a', 'b'] });
    expect(sms).toMatchObject({ Body: 'STOP', AccountSid: 'AC11111111111111111111111111111111', Extra: ['a', 'b'] });
  });

  it('gives fresh SIDs on every call', () => {
    expect(smsPreset().MessageSid).not.toBe(smsPreset().MessageSid);
    expect(callPreset().CallSid).not.toBe(callPreset().CallSid);
  });

  it.each(PRESET_NAMES)('%s signs into a request twilio validates', (name) => {
    const token = 'preset-token-0123456789abcdef0123';
    const request = signTwilioRequest({ url: 'https://example.com/hook', authToken: token, ...presetRequestBody(name) });
    const signature = request.headers['X-Twilio-Signature'] as string;
    const valid =
      presetPayload(name).kind === 'json'
        ? twilio.validateRequestWithBody(token, signature, request.url, request.body)
        : twilio.validateRequest(token, signature, request.url, decodeForm(request.body));
    expect(valid).toBe(true);
  });
});

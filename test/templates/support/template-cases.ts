/**
 * What every template must answer, independent of the cloud: the requests Twilio would send it
 * (from @twiml-guard/testing's presets) and what a correct answer looks like. Each platform test
 * supplies the function's base URL on its local runtime and sends these, signed and forged.
 */
import { callPreset, gatherPreset, messageStatusPreset, smsPreset, studioJsonPreset, type WebhookParams } from '@twiml-guard/testing';

export type Cloud = 'aws' | 'azure' | 'gcp' | 'twilio' | 'cloudflare';

export const AUTH_TOKEN = 'b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6';
export const FORGED_TOKEN = 'ffffffffffffffffffffffffffffffff';
export const FORWARD_TO = '+15551234567';

export interface Answer {
  readonly status: number;
  readonly contentType: string | null;
  readonly body: string;
}

export interface TemplateRequest {
  readonly label: string;
  /** Appended to the function's base URL (`/choice` is voice-ivr's follow-up action). */
  readonly subPath: string;
  readonly payload: { readonly params: WebhookParams } | { readonly json: Record<string, unknown> };
  /** Which clouds this request applies to (default all). */
  readonly clouds?: readonly Cloud[];
  /** A line the function must have logged for the signed request (checked where the runtime's output is captured). */
  readonly logLine?: RegExp;
  /** Checks a signed request's answer; `base` is the function's base URL on this runtime. */
  readonly expectAnswer: (answer: Answer, base: string) => void;
}

export interface TemplateCase {
  readonly template: string;
  /** The function (entry point) name in every cloud folder. */
  readonly fn: string;
  /** The HTTP API / Twilio path of the function; Azure serves `/api/<fn>`. */
  readonly path: string;
  readonly requests: readonly TemplateRequest[];
}

const XML = 'text/xml; charset=utf-8';
const xmlHead = '<?xml version="1.0" encoding="UTF-8"?>';

function expectTwiml(answer: Answer, inner: string): void {
  expect({ status: answer.status, contentType: answer.contentType, body: answer.body }).toEqual({
    status: 200,
    contentType: XML,
    body: `${xmlHead}<Response>${inner}</Response>`,
  });
}

function expectJson(answer: Answer, value: unknown): void {
  expect(answer.status).toBe(200);
  expect(answer.contentType).toMatch(/^application\/json/);
  expect(JSON.parse(answer.body)).toEqual(value);
}

const NOT_TWILIO: readonly Cloud[] = ['aws', 'azure', 'gcp', 'cloudflare'];

export const TEMPLATE_CASES: readonly TemplateCase[] = [
  {
    template: 'sms-auto-reply',
    fn: 'sms',
    path: '/sms',
    requests: [
      {
        label: 'incoming SMS',
        subPath: '',
        payload: { params: smsPreset({ Body: "Ça va? O'Hara & co" }) },
        expectAnswer: (answer) => expectTwiml(answer, `<Message>Thanks! We got your message: Ça va? O'Hara &amp; co</Message>`),
      },
      {
        label: 'Studio JSON (bodySHA256)',
        subPath: '',
        payload: { json: studioJsonPreset({ Body: 'from a flow' }) },
        clouds: NOT_TWILIO,
        expectAnswer: (answer) => expectJson(answer, { reply: 'Thanks! We got your message: from a flow' }),
      },
    ],
  },
  {
    template: 'voice-ivr',
    fn: 'voice',
    path: '/voice',
    requests: [
      {
        label: 'incoming call: the menu',
        subPath: '',
        payload: { params: callPreset() },
        expectAnswer: (answer, base) =>
          expectTwiml(
            answer,
            `<Gather numDigits="1" action="${base}/choice" method="POST" timeout="5"><Say>Thanks for calling. For opening hours, press 1. To hear a joke, press 2.</Say></Gather><Say>We did not get a choice. Goodbye!</Say>`,
          ),
      },
      {
        label: 'Gather action: key 1',
        subPath: '/choice',
        payload: { params: gatherPreset({ Digits: '1' }) },
        expectAnswer: (answer) => expectTwiml(answer, '<Say>We are open Monday to Friday, nine to five.</Say><Hangup/>'),
      },
      {
        label: 'Gather action: a key not on the menu',
        subPath: '/choice',
        payload: { params: gatherPreset({ Digits: '9' }) },
        expectAnswer: (answer, base) =>
          expectTwiml(answer, `<Say>Sorry, that is not an option.</Say><Redirect method="POST">${base}</Redirect>`),
      },
    ],
  },
  {
    template: 'call-forwarding',
    fn: 'call',
    path: '/call',
    requests: [
      {
        label: 'incoming call',
        subPath: '',
        payload: { params: callPreset() },
        expectAnswer: (answer) => expectTwiml(answer, `<Dial timeout="20">${FORWARD_TO}</Dial>`),
      },
    ],
  },
  {
    template: 'message-status-callback',
    fn: 'status',
    path: '/status',
    requests: [
      {
        label: 'message status callback',
        subPath: '',
        payload: { params: messageStatusPreset({ MessageStatus: 'undelivered', SmsStatus: 'undelivered', ErrorCode: '30003' }) },
        logLine: /"msg":"message status","messageSid":"SM[0-9a-f]{32}","status":"undelivered","errorCode":"30003"/,
        expectAnswer: (answer) => {
          expect(answer.status).toBe(204);
          expect(answer.body).toBe('');
        },
      },
    ],
  },
  {
    template: 'studio-json-webhook',
    fn: 'studio',
    path: '/studio',
    requests: [
      {
        label: 'Studio JSON (bodySHA256)',
        subPath: '',
        payload: { json: studioJsonPreset({ Body: 'hi from Studio', Channel: 'sms' }) },
        clouds: NOT_TWILIO,
        expectAnswer: (answer) => expectJson(answer, { reply: 'Studio said: hi from Studio', channel: 'sms', received: 'json' }),
      },
      {
        label: 'Studio form post',
        subPath: '',
        payload: { params: { ...(studioJsonPreset({ Body: 'hi from Studio', Channel: 'voice' }) as Record<string, string>) } },
        expectAnswer: (answer) => expectJson(answer, { reply: 'Studio said: hi from Studio', channel: 'voice', received: 'form' }),
      },
    ],
  },
];

export function requestsFor(templateCase: TemplateCase, cloud: Cloud): TemplateRequest[] {
  return templateCase.requests.filter((request) => !request.clouds || request.clouds.includes(cloud));
}

/** Every (template, request) pair a cloud runs, as rows for `it.each`. */
export function rowsFor(cloud: Cloud): [string, string, TemplateCase, TemplateRequest][] {
  return TEMPLATE_CASES.flatMap((templateCase) =>
    requestsFor(templateCase, cloud).map((request): [string, string, TemplateCase, TemplateRequest] => [
      templateCase.template,
      request.label,
      templateCase,
      request,
    ]),
  );
}

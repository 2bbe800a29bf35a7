import { build } from 'esbuild';
import fc from 'fast-check';
import path from 'node:path';
import twilio from 'twilio';
import { EMPTY_TWIML } from '../src/respond.js';
import {
  Dial,
  Gather,
  Message,
  MessagingResponse,
  VoiceResponse,
  emptyResponse,
  escapeXmlAttribute,
  escapeXmlText,
} from '../src/twiml/index.js';

// The oracle: twilio-node's own builders. Every test builds the same response with both and
// compares the serialised strings byte for byte.
const twilioBuilders = {
  VoiceResponse: twilio.twiml.VoiceResponse as unknown as typeof VoiceResponse,
  MessagingResponse: twilio.twiml.MessagingResponse as unknown as typeof MessagingResponse,
};
const ourBuilders = { VoiceResponse, MessagingResponse };
type Builders = typeof ourBuilders;

function bothBuild(build: (builders: Builders) => { toString(): string }): { twilio: string; ours: string } {
  return { twilio: build(twilioBuilders).toString(), ours: build(ourBuilders).toString() };
}

function expectSameAsTwilio(build: (builders: Builders) => { toString(): string }): string {
  const built = bothBuild(build);
  expect(built.ours).toBe(built.twilio);
  return built.ours;
}

// Everything XML escaping can get wrong, plus characters that must pass through untouched.
const TORTURE = `A&B <tag attr="x"> 'single' "double" &amp; &#x41; ]]> line1\nline2\r\nline3\rtab\there é ß 中文 العربية 😀👍🏽 \u00a0\u2028\u2029 end`;

describe('empty responses', () => {
  test('an empty VoiceResponse and MessagingResponse serialise like twilio', () => {
    expect(expectSameAsTwilio(({ VoiceResponse }) => new VoiceResponse())).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
    expect(expectSameAsTwilio(({ MessagingResponse }) => new MessagingResponse())).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><Response/>',
    );
  });

  test('emptyResponse() is that string and the pipeline default', () => {
    expect(emptyResponse()).toBe(new twilio.twiml.VoiceResponse().toString());
    expect(emptyResponse()).toBe(EMPTY_TWIML);
  });
});

describe('voice verbs match twilio', () => {
  const cases: [string, (response: VoiceResponse) => void][] = [
    ['say(text)', (r) => r.say('Hello world')],
    ['say(attrs, text)', (r) => r.say({ voice: 'Polly.Joanna', language: 'en-US', loop: 3 }, 'Hello')],
    ['say with empty text closes itself', (r) => r.say('')],
    ['play(url)', (r) => r.play('https://example.com/a.mp3?x=1&y=2')],
    ['play(attrs, url)', (r) => r.play({ loop: 0 }, 'https://example.com/a.mp3')],
    ['play(attrs) with digits', (r) => r.play({ digits: 'wwww3' })],
    ['play()', (r) => r.play()],
    ['pause()', (r) => r.pause()],
    ['pause(attrs)', (r) => r.pause({ length: 5 })],
    ['gather()', (r) => r.gather()],
    [
      'gather(attrs) with nested say/play/pause',
      (r) => {
        const gather = r.gather({
          input: ['speech', 'dtmf'],
          action: '/gather?step=1&lang=en',
          method: 'POST',
          timeout: 7,
          numDigits: 4,
          finishOnKey: '#',
          speechTimeout: 'auto',
          hints: 'yes, no, agent',
          language: 'fr-FR',
          profanityFilter: false,
          actionOnEmptyResult: true,
        });
        gather.say({ voice: 'alice' }, 'Press 1');
        gather.play('https://example.com/hold.mp3');
        gather.pause({ length: 2 });
        gather.say('or say agent');
      },
    ],
    ['dial(number)', (r) => r.dial('+15551234567')],
    ['dial()', (r) => r.dial()],
    [
      'dial(attrs, number)',
      (r) =>
        r.dial(
          {
            callerId: '+15550000000',
            timeout: 20,
            action: '/after',
            method: 'GET',
            record: 'record-from-answer',
            answerOnBridge: true,
            timeLimit: 600,
          },
          '+15551234567',
        ),
    ],
    [
      'dial(attrs) with nested number/client/sip/conference',
      (r) => {
        const dial = r.dial({ callerId: '+15550000000', sequential: true });
        dial.number('+15551111111');
        dial.number(
          {
            statusCallback: '/status?a=1&b=2',
            statusCallbackEvent: ['initiated', 'ringing', 'answered', 'completed'],
            statusCallbackMethod: 'POST',
            sendDigits: 'ww1234',
            url: '/whisper',
          },
          '+15552222222',
        );
        dial.client('alice');
        dial.client({ url: '/screen', statusCallbackEvent: ['answered'] }, 'bob');
        dial.client();
        dial.sip('sip:alice@example.com;transport=tls');
        dial.sip({ username: 'u', password: 'p&"<' }, 'sip:bob@example.com?X-Header=1&Y=2');
      },
    ],
    [
      'dial with conference',
      (r) =>
        r.dial().conference(
          {
            startConferenceOnEnter: true,
            endConferenceOnExit: false,
            waitUrl: '',
            muted: false,
            beep: 'onEnter',
            statusCallback: '/conf',
            statusCallbackEvent: ['start', 'end', 'join', 'leave'],
            maxParticipants: 10,
          },
          'Room 1234',
        ),
    ],
    ['dial(number) followed by nested nouns mixes text and elements', (r) => r.dial('+15551234567').number('+15557654321')],
    ['record()', (r) => r.record()],
    [
      'record(attrs)',
      (r) =>
        r.record({
          action: '/recorded',
          maxLength: 30,
          playBeep: false,
          timeout: 5,
          transcribe: true,
          transcribeCallback: '/transcribed',
          recordingStatusCallback: '/rec-status',
          recordingStatusCallbackEvent: ['in-progress', 'completed', 'absent'],
          finishOnKey: '*',
          trim: 'do-not-trim',
        }),
    ],
    ['redirect(url)', (r) => r.redirect('/next')],
    ['redirect(attrs, url)', (r) => r.redirect({ method: 'GET' }, '/next?a=1&b=2')],
    ['hangup()', (r) => r.hangup()],
    ['reject()', (r) => r.reject()],
    ['reject(attrs)', (r) => r.reject({ reason: 'busy' })],
    ['enqueue(name)', (r) => r.enqueue('support')],
    ['enqueue(attrs, name)', (r) => r.enqueue({ action: '/left', waitUrl: '/wait', workflowSid: 'WW123', method: 'POST' }, 'support')],
    ['enqueue(attrs) without a name', (r) => r.enqueue({ workflowSid: 'WW123' })],
    [
      'a whole call flow',
      (r) => {
        r.say('Welcome');
        r.gather({ numDigits: 1, action: '/menu' }).say('Press 1 for sales');
        r.say('We did not get that');
        r.redirect('/voice');
        r.hangup();
      },
    ],
  ];

  test.each(cases)('%s', (_name, build) => {
    expectSameAsTwilio(({ VoiceResponse }) => {
      const response = new VoiceResponse();
      build(response);
      return response;
    });
  });

  test('the expected markup, spelled out once', () => {
    const xml = expectSameAsTwilio(({ VoiceResponse }) => {
      const response = new VoiceResponse();
      response.gather({ input: ['dtmf', 'speech'], numDigits: 1, bargeIn: false }).say({ voice: 'alice' }, 'Hi & bye');
      response.dial({ answerOnBridge: true }).number({ statusCallbackEvent: ['ringing', 'answered'] }, '+1555');
      return response;
    });
    expect(xml).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><Response>' +
        '<Gather input="dtmf speech" numDigits="1" bargeIn="false"><Say voice="alice">Hi &amp; bye</Say></Gather>' +
        '<Dial answerOnBridge="true"><Number statusCallbackEvent="ringing answered">+1555</Number></Dial>' +
        '</Response>',
    );
  });
});

describe('messaging verbs match twilio', () => {
  const cases: [string, (response: MessagingResponse) => void][] = [
    ['message(body)', (r) => r.message('Thanks for your message!')],
    [
      'message(attrs, body)',
      (r) => r.message({ to: '+15551234567', from: '+15550000000', action: '/sent', method: 'POST', statusCallback: '/status' }, 'Hi'),
    ],
    ['message()', (r) => r.message()],
    ['message with empty body closes itself', (r) => r.message('')],
    [
      'message(attrs) with nested body and media',
      (r) => {
        const message = r.message({ to: '+15551234567' });
        message.body('See attached');
        message.media('https://example.com/cat.jpg?size=large&fmt=jpg');
        message.media('https://example.com/dog.png');
      },
    ],
    ['two messages', (r) => (r.message('one'), r.message('two'))],
    ['redirect(url)', (r) => r.redirect('/sms')],
    ['redirect(attrs, url)', (r) => r.redirect({ method: 'POST' }, '/sms?a=1&b=2')],
  ];

  test.each(cases)('%s', (_name, build) => {
    expectSameAsTwilio(({ MessagingResponse }) => {
      const response = new MessagingResponse();
      build(response);
      return response;
    });
  });
});

describe('attribute values match twilio', () => {
  test.each<[string, unknown]>([
    ['true', true],
    ['false', false],
    ['zero', 0],
    ['negative', -3],
    ['fraction', 2.5],
    ['negative zero', -0],
    ['NaN', Number.NaN],
    ['empty string', ''],
    ['array', ['initiated', 'completed']],
    ['one-element array', ['answered']],
    ['empty array', []],
    ['array with empty strings', ['', 'a', '']],
    ['null is left out', null],
    ['undefined is left out', undefined],
    ['torture string', TORTURE],
    ['array of torture strings', [TORTURE, TORTURE]],
    ['control characters pass through as twilio lets them', 'a\u0001b\u001fc\uFFFE'],
    ['lone surrogate passes through as twilio lets it', 'x\uD800y'],
    // twilio writes `'' + value`: valueOf first (a moment-like date gives its milliseconds), not toString.
    ['an object whose valueOf and toString differ', { valueOf: () => 1_700_000_000_000, toString: () => 'Tue Nov 14 2023' }],
    ['an object with Symbol.toPrimitive', { [Symbol.toPrimitive]: (hint: string) => `hint:${hint}` }],
  ])('%s', (_name, value) => {
    expectSameAsTwilio(({ VoiceResponse }) => {
      const response = new VoiceResponse();
      response.say({ voice: value, language: 'en' } as never, 'x');
      return response;
    });
  });

  test('attributes keep the order they were given in', () => {
    const xml = expectSameAsTwilio(({ VoiceResponse }) => {
      const response = new VoiceResponse();
      response.dial({ timeout: 5, callerId: '+1', action: '/a' });
      return response;
    });
    expect(xml).toContain('<Dial timeout="5" callerId="+1" action="/a"/>');
  });

  test('attributes are captured when the verb is added, later changes to the object do not leak in', () => {
    expectSameAsTwilio(({ VoiceResponse }) => {
      const response = new VoiceResponse();
      const attributes: { voice?: string } = { voice: 'alice' };
      response.say(attributes, 'Hi');
      attributes.voice = 'man';
      return response;
    });
  });
});

describe('escaping matches twilio', () => {
  test('torture string as text in every verb that takes text', () => {
    expectSameAsTwilio(({ VoiceResponse }) => {
      const response = new VoiceResponse();
      response.say(TORTURE);
      response.play(TORTURE);
      response.gather().say(TORTURE);
      const dial = response.dial(TORTURE);
      dial.number(TORTURE);
      dial.client(TORTURE);
      dial.sip(TORTURE);
      dial.conference(TORTURE);
      response.redirect(TORTURE);
      response.enqueue(TORTURE);
      return response;
    });
    expectSameAsTwilio(({ MessagingResponse }) => {
      const response = new MessagingResponse();
      response.message(TORTURE);
      const message = response.message();
      message.body(TORTURE);
      message.media(TORTURE);
      response.redirect(TORTURE);
      return response;
    });
  });

  test('torture string as attribute values', () => {
    expectSameAsTwilio(({ VoiceResponse }) => {
      const response = new VoiceResponse();
      response.say({ voice: TORTURE, language: TORTURE }, 'x');
      response.gather({ action: TORTURE, hints: TORTURE }).play({ digits: TORTURE }, TORTURE);
      response.dial({ callerId: TORTURE }).conference({ waitUrl: TORTURE, statusCallback: TORTURE }, TORTURE);
      response.redirect({ method: TORTURE }, TORTURE);
      return response;
    });
    expectSameAsTwilio(({ MessagingResponse }) => {
      const response = new MessagingResponse();
      response.message({ to: TORTURE, from: TORTURE, action: TORTURE }, TORTURE);
      return response;
    });
  });

  test('text and attribute escaping differ exactly as twilio does', () => {
    const xml = expectSameAsTwilio(({ VoiceResponse }) => {
      const response = new VoiceResponse();
      response.say({ voice: `&<>"'\t\n\r` }, `&<>"'\t\n\r`);
      return response;
    });
    expect(xml).toContain(`<Say voice="&amp;&lt;>&quot;'&#x9;&#xA;&#xD;">&amp;&lt;&gt;"'\t\n&#xD;</Say>`);
  });

  test.each([
    ['a C0 control character', 'bell\u0007'],
    ['NUL', 'a\u0000b'],
    ['vertical tab', 'a\vb'],
    ['U+FFFF', 'a\uFFFFb'],
    ['a lone high surrogate', 'a\uD83Db'],
    ['a lone low surrogate', 'a\uDE00b'],
  ])('text with %s is refused like twilio, and the verb is not added', (_name, text) => {
    for (const { VoiceResponse: Response } of [twilioBuilders, ourBuilders]) {
      const response = new Response();
      response.say('before');
      expect(() => response.say(text)).toThrow();
      expect(() => response.gather().say(text)).toThrow();
      expect(response.toString()).toBe('<?xml version="1.0" encoding="UTF-8"?><Response><Say>before</Say><Gather/></Response>');
    }
  });
});

describe('nested builders', () => {
  test('toString() on a nested verb renders the whole response, as twilio does', () => {
    const nested = bothBuild(({ VoiceResponse }) => {
      const response = new VoiceResponse();
      response.say('first');
      const gather = response.gather({ numDigits: 1 });
      gather.say('inside');
      return gather;
    });
    expect(nested.ours).toBe(nested.twilio);
    expect(nested.ours).toContain('<Say>first</Say>');

    const message = bothBuild(({ MessagingResponse }) => {
      const response = new MessagingResponse();
      return response.message('hi').media('https://example.com/a.png');
    });
    expect(message.ours).toBe(message.twilio);
  });

  test('verbs added to a nested element after later siblings land inside it', () => {
    expectSameAsTwilio(({ VoiceResponse }) => {
      const response = new VoiceResponse();
      const gather = response.gather();
      const dial = response.dial();
      response.say('after');
      gather.pause({ length: 1 });
      dial.number('+1');
      return response;
    });
  });

  test('the nested classes are the ones exported', () => {
    const response = new VoiceResponse();
    expect(response.gather()).toBeInstanceOf(Gather);
    expect(response.dial()).toBeInstanceOf(Dial);
    expect(new MessagingResponse().message('x')).toBeInstanceOf(Message);
  });
});

describe('twilio-style type annotations', () => {
  // Code written against twilio-node names its types through the class namespaces; with only the
  // import changed it must still type-check (tsc covers this file) and render the same TwiML.
  function menu(response: VoiceResponse, voice: VoiceResponse.SayAttributes): VoiceResponse.Gather {
    const options: VoiceResponse.GatherAttributes = { input: ['dtmf'], numDigits: 1 };
    const gather: VoiceResponse.Gather = response.gather(options);
    gather.say(voice, 'Press 1');
    const dial: VoiceResponse.Dial = response.dial();
    const leg: VoiceResponse.NumberAttributes = { statusCallbackEvent: ['answered'] };
    dial.number(leg, '+1555');
    return gather;
  }
  function reply(response: MessagingResponse): MessagingResponse.Message {
    const attributes: MessagingResponse.MessageAttributes = { to: '+1555' };
    return response.message(attributes, 'Hi');
  }

  test('namespaced types work with our classes and render like twilio', () => {
    expectSameAsTwilio(({ VoiceResponse }) => menu(new VoiceResponse(), { voice: 'alice' }));
    expectSameAsTwilio(({ MessagingResponse }) => reply(new MessagingResponse()));
  });
});

describe('escape helpers', () => {
  test('escapeXmlText', () => {
    expect(escapeXmlText(`a&b<c>d"e'f\tg\nh\ri😀`)).toBe(`a&amp;b&lt;c&gt;d"e'f\tg\nh&#xD;i😀`);
    expect(() => escapeXmlText('\u0001')).toThrow(/index 0/);
    expect(() => escapeXmlText('ok\uDC00')).toThrow(/index 2/);
    expect(escapeXmlText('\uD83D\uDE00')).toBe('😀');
  });

  test('escapeXmlAttribute', () => {
    expect(escapeXmlAttribute(`a&b<c>d"e'f\tg\nh\ri😀`)).toBe(`a&amp;b&lt;c>d&quot;e'f&#x9;g&#xA;h&#xD;i😀`);
  });
});

// Property test: random verb sequences with random text and attribute values, built with
// twilio's builders and ours. Each step either throws in both or in neither, and the final
// documents are identical.
describe('generated responses match twilio', () => {
  const character = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom('&', '<', '>', '"', "'", '\n', '\r', '\t', ' ', ';', '#', 'x') },
    { weight: 4, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }) },
    { weight: 1, arbitrary: fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)) },
  );
  const text = fc.array(character, { maxLength: 12 }).map((characters) => characters.join(''));
  const attributeValue = fc.oneof(
    text,
    fc.boolean(),
    fc.integer(),
    fc.double(),
    fc.array(text, { maxLength: 3 }),
    fc.constantFrom(null, undefined),
  );
  const attributeNames = ['action', 'method', 'timeout', 'voice', 'statusCallbackEvent', 'callerId', 'to', 'numDigits'];
  const attributes = fc.option(fc.dictionary(fc.constantFrom(...attributeNames), attributeValue, { maxKeys: 4 }), { nil: undefined });

  type Step = { verb: string; attributes: Record<string, unknown> | undefined; text: string | undefined; children: Step[] };
  const step = (verbs: readonly string[], children: fc.Arbitrary<Step[]>): fc.Arbitrary<Step> =>
    fc.record({ verb: fc.constantFrom(...verbs), attributes, text: fc.option(text, { nil: undefined }), children });
  const noChildren = fc.constant([] as Step[]);

  const voiceSteps = fc.array(
    fc.oneof(
      step(['say', 'play', 'pause', 'record', 'redirect', 'hangup', 'reject', 'enqueue'], noChildren),
      step(['gather'], fc.array(step(['say', 'play', 'pause'], noChildren), { maxLength: 4 })),
      step(['dial'], fc.array(step(['number', 'client', 'sip', 'conference'], noChildren), { maxLength: 4 })),
    ),
    { maxLength: 8 },
  );
  const messagingSteps = fc.array(
    fc.oneof(step(['redirect'], noChildren), step(['message'], fc.array(step(['body', 'media'], noChildren), { maxLength: 4 }))),
    { maxLength: 6 },
  );

  // Calls `verb` the way user code would: text alone, attributes and text, or attributes alone.
  function call(target: object, verb: string, stepToRun: Step): unknown {
    const method = (target as Record<string, (...args: unknown[]) => unknown>)[verb];
    if (typeof method !== 'function') throw new Error(`test bug: no ${verb}`);
    if (stepToRun.attributes === undefined) return stepToRun.text === undefined ? method.call(target) : method.call(target, stepToRun.text);
    return method.call(target, stepToRun.attributes, stepToRun.text);
  }

  function run(response: object, steps: Step[]): string[] {
    const outcomes: string[] = [];
    for (const current of steps) {
      try {
        const element = call(response, current.verb, current) as object;
        outcomes.push('ok');
        outcomes.push(...run(element, current.children));
      } catch {
        outcomes.push('threw');
      }
    }
    return outcomes;
  }

  function compare(responseClass: 'VoiceResponse' | 'MessagingResponse', steps: Step[]): void {
    const theirs = new twilioBuilders[responseClass]();
    const ours = new ourBuilders[responseClass]();
    expect(run(ours, steps)).toEqual(run(theirs, steps));
    expect(ours.toString()).toBe(theirs.toString());
  }

  test('voice responses', () => {
    fc.assert(
      fc.property(voiceSteps, (steps) => compare('VoiceResponse', steps)),
      { numRuns: 500 },
    );
  });

  test('messaging responses', () => {
    fc.assert(
      fc.property(messagingSteps, (steps) => compare('MessagingResponse', steps)),
      { numRuns: 500 },
    );
  });
});

describe('footprint', () => {
  test('the bundled builder pulls in only its own files and stays under 4 KB minified', async () => {
    const entry = path.join(__dirname, '../src/twiml/index.ts');
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      minify: true,
      platform: 'node',
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const twimlDirectory = path.relative(process.cwd(), path.dirname(entry)).split(path.sep).join('/');
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.length).toBeGreaterThan(1);
    for (const input of inputs) expect(input.startsWith(`${twimlDirectory}/`)).toBe(true);
    const [output] = result.outputFiles;
    expect(output?.text).not.toMatch(/require\(/);
    expect(output?.contents.byteLength).toBeLessThan(4096);
  });
});

/** The twilio-node drop-ins: Twilio's documented examples, inputs that must give `false` (never a throw), and body hashing. */
import { createHash, createHmac } from 'node:crypto';
import twilio from 'twilio';
import {
  getExpectedBodyHash,
  getExpectedTwilioSignature,
  paramsToSignedString,
  validateBody,
  validateRequest,
  validateRequestWithBody,
  type TwilioParams,
} from '@twiml-guard/core';
import { SMS_FIELDS_IN_ARRIVAL_ORDER } from '@twiml-guard/test-support/sms-fields';

// Twilio's "Validating signatures from Twilio" walkthrough.
const DOCS_TOKEN = '12345';
const DOCS_URL = 'https://mycompany.com/myapp.php?foo=1&bar=2';
const DOCS_PARAMS = {
  CallSid: 'CA1234567890ABCDE',
  Caller: '+14158675310',
  Digits: '1234',
  From: '+14158675310',
  To: '+18005551212',
};
const DOCS_SIGNATURE = 'GvWf1cFY/Q7PnoempGyD5oXAezc=';

// The JSON (bodySHA256) example from the same page.
const DOCS_JSON_BODY = '{"CallSid":"CA1234567890ABCDE","Caller":"+12349013030"}';
const DOCS_JSON_HASH = '5ccde7145dfb8f56479710896586cb9d5911809d83afbe34627818790db0aec9';
const DOCS_JSON_URL = `https://example.com/myapp?bodySHA256=${DOCS_JSON_HASH}`;

/** The algorithm written out independently of the code under test: URL, then sorted key+value, HMAC-SHA1, base64. */
function handSigned(token: string, data: string): string {
  return createHmac('sha1', token).update(Buffer.from(data, 'utf8')).digest('base64');
}

describe("Twilio's documented examples", () => {
  test('form webhook: the documented signature', () => {
    expect(getExpectedTwilioSignature(DOCS_TOKEN, DOCS_URL, DOCS_PARAMS)).toBe(DOCS_SIGNATURE);
    expect(validateRequest(DOCS_TOKEN, DOCS_SIGNATURE, DOCS_URL, DOCS_PARAMS)).toBe(true);
  });

  test('form webhook: the documented signed string', () => {
    const signed = `${DOCS_URL}CallSidCA1234567890ABCDECaller+14158675310Digits1234From+14158675310To+18005551212`;
    expect(DOCS_URL + paramsToSignedString(DOCS_PARAMS)).toBe(signed);
    expect(handSigned(DOCS_TOKEN, signed)).toBe(DOCS_SIGNATURE);
  });

  test('form webhook: another token, a changed value or the query moved into params all fail', () => {
    expect(validateRequest('54321', DOCS_SIGNATURE, DOCS_URL, DOCS_PARAMS)).toBe(false);
    expect(validateRequest(DOCS_TOKEN, DOCS_SIGNATURE, DOCS_URL, { ...DOCS_PARAMS, Digits: '1235' })).toBe(false);
    expect(validateRequest(DOCS_TOKEN, DOCS_SIGNATURE, 'https://mycompany.com/myapp.php', { ...DOCS_PARAMS, foo: '1', bar: '2' })).toBe(
      false,
    );
  });

  test('JSON webhook: bodySHA256 is the hex SHA-256 of the raw body', () => {
    expect(createHash('sha256').update(DOCS_JSON_BODY).digest('hex')).toBe(DOCS_JSON_HASH);
    expect(getExpectedBodyHash(DOCS_JSON_BODY)).toBe(DOCS_JSON_HASH);
    expect(validateBody(DOCS_JSON_BODY, DOCS_JSON_HASH)).toBe(true);
  });

  test('JSON webhook: the URL alone is signed, and the body must match its hash', () => {
    const signature = twilio.getExpectedTwilioSignature(DOCS_TOKEN, DOCS_JSON_URL, {});
    expect(getExpectedTwilioSignature(DOCS_TOKEN, DOCS_JSON_URL)).toBe(signature);
    expect(handSigned(DOCS_TOKEN, DOCS_JSON_URL)).toBe(signature);
    expect(validateRequestWithBody(DOCS_TOKEN, signature, DOCS_JSON_URL, DOCS_JSON_BODY)).toBe(true);
    expect(twilio.validateRequestWithBody(DOCS_TOKEN, signature, DOCS_JSON_URL, DOCS_JSON_BODY)).toBe(true);
    expect(validateRequestWithBody(DOCS_TOKEN, signature, DOCS_JSON_URL, DOCS_JSON_BODY.replace('+1234', '+1999'))).toBe(false);
    expect(validateRequestWithBody(DOCS_TOKEN, signature, DOCS_JSON_URL, `${DOCS_JSON_BODY} `)).toBe(false);
  });
});

describe('the signed string', () => {
  const token = 'a-test-auth-token';
  const url = 'https://example.com/sms';

  test('keys sort by code unit, case-sensitive', () => {
    const params = { callSid: 'c', Reason: 'r', CALLSID: 'a', ReasonConferenceEnded: 'e', CallSid: 'b' };
    expect(paramsToSignedString(params)).toBe('CALLSIDaCallSidbReasonrReasonConferenceEndedecallSidc');
  });

  test.each([
    ['a Twilio SMS in arrival order', SMS_FIELDS_IN_ARRIVAL_ORDER],
    [
      'reverse order, mixed case, digits, astral characters',
      ['z', 'Z', 'a1', 'a10', 'a2', '\u{1F600}', '\uFF5E', '', ' ', '_', 'callSid', 'CallSid'],
    ],
    ['more keys than the small-input sort handles', Array.from({ length: 40 }, (_, i) => `Key${(i * 7919) % 40}`)],
  ])('keys in any order sort as Array#sort sorts them: %s', (_name, keys) => {
    const params = Object.fromEntries(keys.map((key, i) => [key, `v${i}`]));
    const expected = [...keys]
      .sort()
      .map((key) => key + (params[key] as string))
      .join('');
    expect(paramsToSignedString(params)).toBe(expected);
    expect(getExpectedTwilioSignature(token, url, params)).toBe(twilio.getExpectedTwilioSignature(token, url, params));
  });

  test('empty values are included as the bare key', () => {
    const params = { FromZip: '', Body: 'hi', FromCity: '' };
    expect(paramsToSignedString(params)).toBe('BodyhiFromCityFromZip');
    expect(getExpectedTwilioSignature(token, url, params)).toBe(handSigned(token, `${url}BodyhiFromCityFromZip`));
    expect(validateRequest(token, twilio.getExpectedTwilioSignature(token, url, params), url, params)).toBe(true);
    expect(validateRequest(token, twilio.getExpectedTwilioSignature(token, url, params), url, { Body: 'hi' })).toBe(false);
  });

  test('repeated keys: the key once per distinct value, values sorted', () => {
    const params = { Digits: ['5678', '1234', '1234'], To: '+1' };
    expect(paramsToSignedString(params)).toBe('Digits1234Digits5678To+1');
    expect(getExpectedTwilioSignature(token, url, params)).toBe(twilio.getExpectedTwilioSignature(token, url, params));
    const signature = twilio.getExpectedTwilioSignature(token, url, params);
    expect(validateRequest(token, signature, url, params)).toBe(true);
    expect(validateRequest(token, signature, url, { Digits: ['1234', '5678'], To: '+1' })).toBe(true);
    // Ruby's historical "key then all values" form is a different string.
    expect(validateRequest(token, handSigned(token, `${url}Digits12345678To+1`), url, params)).toBe(false);
    // The array is not the same as its first or last value.
    expect(validateRequest(token, signature, url, { Digits: '5678', To: '+1' })).toBe(false);
  });

  test('numbers and booleans sign as their text, as in twilio-node', () => {
    const params: TwilioParams = { NumMedia: 0, Flag: true };
    expect(getExpectedTwilioSignature(token, url, params)).toBe(getExpectedTwilioSignature(token, url, { NumMedia: '0', Flag: 'true' }));
    expect(getExpectedTwilioSignature(token, url, params)).toBe(twilio.getExpectedTwilioSignature(token, url, params));
  });

  test('UTF-8: non-ASCII and emoji in the URL, keys and values', () => {
    const utf8Url = 'https://example.com/caf\u00e9?city=Malm\u00f6';
    const params = { Body: 'Gr\u00fc\u00dfe \u{1F600}', '\u00c4rger': '\u6f22\u5b57' };
    const expected = handSigned(token, `${utf8Url}BodyGr\u00fc\u00dfe \u{1F600}\u00c4rger\u6f22\u5b57`);
    expect(getExpectedTwilioSignature(token, utf8Url, params)).toBe(expected);
    expect(twilio.getExpectedTwilioSignature(token, utf8Url, params)).toBe(expected);
    expect(validateRequest(token, expected, utf8Url, params)).toBe(true);
  });

  test('a UTF-8 token is used as its UTF-8 bytes', () => {
    const utf8Token = 't\u00f6ken-\u{1F511}';
    expect(getExpectedTwilioSignature(utf8Token, url, { A: 'b' })).toBe(twilio.getExpectedTwilioSignature(utf8Token, url, { A: 'b' }));
  });

  test.each([
    ['64 ASCII characters', 'k'.repeat(64)],
    ['65 ASCII characters (hashed first, as HMAC does with a long key)', 'k'.repeat(65)],
    ['200 characters', `${'abc'.repeat(66)}de`],
    ['control characters and DEL', '\u0000\u0001\t\u007f'.repeat(4)],
    ['empty', ''],
  ])('tokens of every shape sign as createHmac does: %s', (_name, oddToken) => {
    const params = { Body: 'x', From: '+1' };
    const expected = handSigned(oddToken, `${url}BodyxFrom+1`);
    expect(getExpectedTwilioSignature(oddToken, url, params)).toBe(expected);
    if (oddToken) expect(validateRequest(oddToken, expected, url, params)).toBe(true);
  });

  test('lone surrogates are signed as U+FFFD, as twilio signs them', () => {
    const params = { Body: 'broken \ud83d pair', '\udc00key': 'v' };
    const expected = twilio.getExpectedTwilioSignature(token, url, params);
    expect(getExpectedTwilioSignature(token, url, params)).toBe(expected);
    expect(validateRequest(token, expected, url, params)).toBe(true);
    expect(validateRequest(token, expected, url, { ...params, Body: 'broken \ufffd pair' })).toBe(true);
  });

  test('the same token signs the same way on every call (memoised keys)', () => {
    const first = getExpectedTwilioSignature(token, url, { A: '1' });
    getExpectedTwilioSignature('another-token', url, { A: '1' });
    expect(getExpectedTwilioSignature(token, url, { A: '1' })).toBe(first);
    for (let i = 0; i < 100; i++) getExpectedTwilioSignature(`token-${i}`, url, {});
    expect(getExpectedTwilioSignature(token, url, { A: '1' })).toBe(first);
  });

  test('a Buffer token (twilio passes it to createHmac) signs and validates as in twilio', () => {
    const bufferToken = Buffer.from('a-test-auth-token') as unknown as string;
    const expected = twilio.getExpectedTwilioSignature(bufferToken, url, { A: '1' });
    expect(getExpectedTwilioSignature(bufferToken, url, { A: '1' })).toBe(expected);
    expect(validateRequest(bufferToken, expected, url, { A: '1' })).toBe(twilio.validateRequest(bufferToken, expected, url, { A: '1' }));
    expect(validateRequest(bufferToken, expected, url, { A: '1' })).toBe(true);
  });

  test('missing params sign as no params', () => {
    expect(getExpectedTwilioSignature(token, url)).toBe(handSigned(token, url));
    expect(getExpectedTwilioSignature(token, url, null)).toBe(handSigned(token, url));
    expect(validateRequest(token, handSigned(token, url), url)).toBe(true);
  });
});

describe('validateRequest never throws', () => {
  const token = 'a-test-auth-token';
  const url = 'https://example.com/sms';
  const params = { Body: 'hi' };
  const signature = twilio.getExpectedTwilioSignature(token, url, params);

  test.each([
    ['relative path', '/sms'],
    ['no scheme', 'example.com/sms'],
    ['empty', ''],
    ['scheme only', 'https://'],
    ['mailto', 'mailto:someone@example.com'],
    ['spaces in the host', 'https://exa mple.com/sms'],
    ['unclosed IPv6 literal', 'https://[::1/sms'],
    ['not a string', 42 as unknown as string],
    ['undefined', undefined as unknown as string],
  ])('URL: %s gives false', (_name, badUrl) => {
    expect(() => validateRequest(token, signature, badUrl, params)).not.toThrow();
    expect(validateRequest(token, signature, badUrl, params)).toBe(false);
  });

  test('an out-of-range port is only stripped, as twilio does: no parse is needed for that candidate', () => {
    const oddPort = 'https://example.com:99999/sms';
    expect(twilio.validateRequest(token, signature, oddPort, params)).toBe(true);
    expect(validateRequest(token, signature, oddPort, params)).toBe(true);
    expect(validateRequest(token, handSigned(token, 'https://example.com/other'), oddPort, params)).toBe(false);
  });

  test('a relative URL is refused even with a signature computed over it', () => {
    // twilio@6.2.0 accepts this one (its raw candidate needs no parse); we refuse a URL that cannot be what Twilio requested.
    const relativeSignature = handSigned(token, '/sms');
    expect(validateRequest(token, relativeSignature, '/sms', {})).toBe(false);
  });

  test('a malformed absolute URL with a forged signature gives false where twilio throws', () => {
    const malformed = 'https://exa mple.com/sms';
    expect(() => twilio.validateRequest(token, signature, malformed, params)).toThrow();
    expect(validateRequest(token, signature, malformed, params)).toBe(false);
  });

  test.each([
    ['empty', ''],
    ['undefined', undefined],
    ['null', null],
    ['a number', 12345],
    ['an object', { toString: () => signature }],
    ['27 characters', signature.slice(0, -1)],
    ['with a trailing space', `${signature} `],
    ['lower-cased', signature.toLowerCase()],
    ['non-ASCII of the same length', '\u00e9'.repeat(28)],
    ['a lone surrogate', '\ud800'.repeat(28)],
  ])('signature: %s gives false', (_name, badSignature) => {
    expect(() => validateRequest(token, badSignature as string, url, params)).not.toThrow();
    expect(validateRequest(token, badSignature as string, url, params)).toBe(false);
  });

  test.each([
    ['empty string', ''],
    ['undefined', undefined],
    ['a number', 7],
    ['an object', { toString: () => 'a-test-auth-token' }],
  ])('auth token: %s gives false', (_name, badToken) => {
    expect(validateRequest(badToken as string, signature, url, params)).toBe(false);
  });

  test.each([
    ['a null-prototype object (no toString)', { Body: Object.create(null) as unknown }],
    ['a symbol', { Body: Symbol('x') }],
    ['an array holding a symbol', { Body: ['a', Symbol('x')] }],
    [
      'an object whose toString throws',
      {
        Body: {
          toString: () => {
            throw new Error('boom');
          },
        },
      },
    ],
    [
      'a getter that throws',
      Object.defineProperty({}, 'Body', {
        enumerable: true,
        get: () => {
          throw new Error('boom');
        },
      }),
    ],
    ['a BigInt', { Body: 10n }],
  ])('param value: %s gives false', (_name, oddParams) => {
    expect(() => validateRequest(token, signature, url, oddParams as TwilioParams)).not.toThrow();
    expect(validateRequest(token, signature, url, oddParams as TwilioParams)).toBe(false);
  });

  test('array-likes sign the way twilio signs them (it tests `instanceof Array`)', () => {
    const odd: TwilioParams = { FakeArray: Object.create(Array.prototype) as unknown, Real: ['b', 'a'] };
    expect(getExpectedTwilioSignature(token, url, odd)).toBe(twilio.getExpectedTwilioSignature(token, url, odd));
  });

  test('odd but stringifiable values sign the way twilio signs them', () => {
    const odd: TwilioParams = { Nested: { a: 1 }, Null: null, Undef: undefined, Nums: [2, 10, 1] };
    const oddSignature = twilio.getExpectedTwilioSignature(token, url, odd);
    expect(getExpectedTwilioSignature(token, url, odd)).toBe(oddSignature);
    expect(validateRequest(token, oddSignature, url, odd)).toBe(true);
  });
});

describe('validateBody and validateRequestWithBody', () => {
  const token = 'a-test-auth-token';
  const body = '{"Body":"Gr\u00fc\u00dfe \u{1F600}","NumMedia":"0"}';
  const hash = createHash('sha256').update(Buffer.from(body, 'utf8')).digest('hex');
  const url = `https://example.com/studio?bodySHA256=${hash}`;
  const signature = twilio.getExpectedTwilioSignature(token, url, {});
  const asBuffer = Buffer.from(body, 'utf8');
  const asUint8Array = new Uint8Array(asBuffer);

  test.each([
    ['string', body],
    ['Buffer', asBuffer],
    ['Uint8Array', asUint8Array],
  ])('a %s body is hashed as its UTF-8 bytes', (_kind, raw) => {
    expect(getExpectedBodyHash(raw)).toBe(hash);
    expect(validateBody(raw, hash)).toBe(true);
    expect(validateRequestWithBody(token, signature, url, raw)).toBe(true);
  });

  test('a Uint8Array view into a larger buffer hashes only its own bytes', () => {
    const padded = Buffer.concat([Buffer.from('xx'), asBuffer, Buffer.from('yy')]);
    const view = new Uint8Array(padded.buffer, padded.byteOffset + 2, asBuffer.length);
    expect(validateRequestWithBody(token, signature, url, view)).toBe(true);
  });

  test.each([
    ['a changed byte', Buffer.from(body.replace('0', '1'), 'utf8')],
    ['a trailing newline', `${body}\n`],
    ['re-serialised JSON', JSON.stringify(JSON.parse(body), null, 1)],
    ['an empty body', ''],
  ])('%s fails the body check', (_name, raw) => {
    expect(validateBody(raw, hash)).toBe(false);
    expect(validateRequestWithBody(token, signature, url, raw)).toBe(false);
  });

  test('the hash must be the lower-case hex digest', () => {
    expect(validateBody(body, hash.toUpperCase())).toBe(false);
    expect(validateBody(body, hash.slice(0, -1))).toBe(false);
    expect(validateBody(body, '')).toBe(false);
  });

  test('a correct body does not rescue a bad signature or a changed URL', () => {
    expect(validateRequestWithBody('another-token', signature, url, body)).toBe(false);
    expect(validateRequestWithBody(token, signature, url.replace('studio', 'Studio'), body)).toBe(false);
  });

  test('a URL without bodySHA256 fails the body check', () => {
    const plainUrl = 'https://example.com/studio';
    const plainSignature = twilio.getExpectedTwilioSignature(token, plainUrl, {});
    expect(validateRequestWithBody(token, plainSignature, plainUrl, body)).toBe(false);
    expect(twilio.validateRequestWithBody(token, plainSignature, plainUrl, body)).toBe(false);
  });

  test('odd inputs give false, never a throw', () => {
    expect(validateBody(undefined as unknown as string, hash)).toBe(false);
    expect(validateBody(body, undefined as unknown as string)).toBe(false);
    expect(validateBody({} as unknown as string, hash)).toBe(false);
    expect(() => validateRequestWithBody(token, signature, 'not a url', body)).not.toThrow();
    expect(validateRequestWithBody(token, signature, 'not a url', body)).toBe(false);
    expect(validateRequestWithBody(token, signature, url, undefined as unknown as string)).toBe(false);
  });

  test('agrees with twilio on the string body in both directions', () => {
    expect(twilio.validateRequestWithBody(token, signature, url, body)).toBe(true);
    expect(twilio.validateRequestWithBody(token, signature, url, `${body} `)).toBe(false);
  });
});

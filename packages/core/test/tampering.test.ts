/**
 * One changed character anywhere is refused: in the URL, in any key or value, in the signature, in
 * a JSON body; so is an added or removed param. Checked with verifySignature (the pipeline's
 * verifier) and validateRequest (the twilio drop-in), and twilio's validateRequest agrees each time.
 */
import twilio from 'twilio';
import { getExpectedBodyHash, validateRequest, validateRequestWithBody, verifySignature, type TwilioParams } from '@twiml-guard/core';

const TOKEN = '0123456789abcdef0123456789abcdef';
const URL_SIGNED = "https://Hooks.example.com/twilio/sms-reply?tenant=acme&note=it's%20ok&plus=%2B1+2&city=Malm%C3%B6";

// An inbound SMS as Twilio posts it: 12 fields, some empty, an emoji in the body.
const SMS: Record<string, string> = {
  ToCountry: 'US',
  ToState: 'CA',
  SmsMessageSid: 'SM0123456789abcdef0123456789abcdef',
  NumMedia: '0',
  ToCity: '',
  FromZip: '94105',
  SmsSid: 'SM0123456789abcdef0123456789abcdef',
  FromState: 'CA',
  SmsStatus: 'received',
  Body: 'Hello \u{1F44B} there',
  From: '+14155550100',
  To: '+14155550199',
};
const SIGNATURE = twilio.getExpectedTwilioSignature(TOKEN, URL_SIGNED, SMS);

/** Both of our verifiers, and the oracle; every tampered request must be refused by all three. */
function verdicts(signature: string, url: string, params: TwilioParams): { verify: boolean; validate: boolean; twilio: boolean } {
  let oracle: boolean;
  try {
    oracle = twilio.validateRequest(TOKEN, signature, url, params);
  } catch {
    oracle = false;
  }
  return {
    verify: verifySignature({ tokens: [TOKEN], signature, url, params }).valid,
    validate: validateRequest(TOKEN, signature, url, params),
    twilio: oracle,
  };
}
const REFUSED = { verify: false, validate: false, twilio: false };
const ACCEPTED = { verify: true, validate: true, twilio: true };

/**
 * A different character, never the other case of the same letter (scheme and host are
 * case-insensitive, so `E`→`e` is not a change) and never a separator.
 */
function replacementFor(ch: string): string {
  if (/[0-9]/.test(ch)) return ch === '7' ? '3' : '7';
  if (/[a-z]/i.test(ch)) return ch.toLowerCase() === 'q' ? 'z' : 'q';
  return 'q';
}

function replaceAt(text: string, index: number, replacement: string): string {
  return text.slice(0, index) + replacement + text.slice(index + 1);
}

/** Code-point positions, so an emoji is replaced whole rather than split into lone surrogates. */
function codePointEdits(text: string): string[] {
  const points = Array.from(text);
  return points.map((ch, i) => [...points.slice(0, i), replacementFor(ch), ...points.slice(i + 1)].join(''));
}

test('the untouched request is accepted by all three', () => {
  expect(verdicts(SIGNATURE, URL_SIGNED, SMS)).toEqual(ACCEPTED);
});

describe('the URL', () => {
  test.each(Array.from(URL_SIGNED, (ch, index) => [index, ch] as const))('position %i (%s) changed', (index, ch) => {
    const tampered = replaceAt(URL_SIGNED, index, replacementFor(ch));
    expect(tampered).not.toBe(URL_SIGNED);
    expect(verdicts(SIGNATURE, tampered, SMS)).toEqual(REFUSED);
  });

  test.each([
    ['http instead of https', URL_SIGNED.replace('https:', 'http:')],
    ['another path', URL_SIGNED.replace('/sms-reply', '/voice')],
    ['a trailing slash on the path', URL_SIGNED.replace('sms-reply?', 'sms-reply/?')],
    ['a query param dropped', URL_SIGNED.replace('&tenant=acme', '').replace('tenant=acme&', '')],
    ['a query param added', `${URL_SIGNED}&admin=1`],
    ['query params reordered', URL_SIGNED.replace('tenant=acme&note', 'note').replace('Malm%C3%B6', 'Malm%C3%B6&tenant=acme')],
    ['+ written as %20', URL_SIGNED.replace('1+2', '1%202')],
    ['a fragment appended', `${URL_SIGNED}#x`],
  ])('%s', (_name, tampered) => {
    expect(tampered).not.toBe(URL_SIGNED);
    expect(verdicts(SIGNATURE, tampered, SMS)).toEqual(REFUSED);
  });

  test('the equivalences twilio allows are not tampering: default port, host case towards lower case', () => {
    expect(verdicts(SIGNATURE, URL_SIGNED.replace('example.com/', 'example.com:443/'), SMS)).toEqual(ACCEPTED);
    // WHATWG lower-cases the received host, so a signature over the lower-cased form passes when
    // nothing else in the URL gets re-encoded; the reverse never does.
    const plainUrl = 'https://Hooks.example.com/twilio/sms-reply';
    const lowerCaseSigned = twilio.getExpectedTwilioSignature(TOKEN, plainUrl.toLowerCase(), SMS);
    expect(verdicts(lowerCaseSigned, plainUrl, SMS)).toEqual(ACCEPTED);
    expect(verdicts(SIGNATURE, URL_SIGNED.replace('Hooks', 'hooks'), SMS)).toEqual(REFUSED);
    expect(verdicts(SIGNATURE, URL_SIGNED.replace("it's", 'it%27s'), SMS)).toEqual(REFUSED); // %27 was not signed
  });
});

describe('the params', () => {
  const keys = Object.keys(SMS);

  test.each(keys.flatMap((key) => codePointEdits(key).map((edited) => [key, edited] as const)))('key %s renamed to %s', (key, edited) => {
    const { [key]: value, ...rest } = SMS;
    expect(verdicts(SIGNATURE, URL_SIGNED, { ...rest, [edited]: value })).toEqual(REFUSED);
  });

  test.each(keys.flatMap((key) => codePointEdits(SMS[key] as string).map((edited) => [key, edited] as const)))(
    '%s changed to %j',
    (key, edited) => {
      expect(verdicts(SIGNATURE, URL_SIGNED, { ...SMS, [key]: edited })).toEqual(REFUSED);
    },
  );

  test.each(keys)('%s removed', (key) => {
    const { [key]: _removed, ...rest } = SMS;
    expect(verdicts(SIGNATURE, URL_SIGNED, rest)).toEqual(REFUSED);
  });

  test.each(keys)('%s emptied or padded', (key) => {
    expect(verdicts(SIGNATURE, URL_SIGNED, { ...SMS, [key]: '' }).verify).toBe((SMS[key] as string) === '');
    expect(verdicts(SIGNATURE, URL_SIGNED, { ...SMS, [key]: ` ${SMS[key] as string}` })).toEqual(REFUSED);
    expect(verdicts(SIGNATURE, URL_SIGNED, { ...SMS, [key]: `${SMS[key] as string} ` })).toEqual(REFUSED);
  });

  test.each([
    ['a new field', { ...SMS, MediaUrl0: 'https://example.com/x.jpg' }],
    ['a new empty field', { ...SMS, FromCity: '' }],
    ['a second, different value for a field', { ...SMS, To: [SMS.To as string, '+14155550123'] }],
    ['a query param also posted as a field', { ...SMS, tenant: 'acme' }],
  ])('adding %s', (_name, params) => {
    expect(verdicts(SIGNATURE, URL_SIGNED, params)).toEqual(REFUSED);
  });

  test('a repeated identical value is not a change: twilio de-duplicates repeated values before signing', () => {
    expect(verdicts(SIGNATURE, URL_SIGNED, { ...SMS, To: [SMS.To as string, SMS.To as string] })).toEqual(ACCEPTED);
  });
});

describe('the signature', () => {
  const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

  test.each(Array.from(SIGNATURE, (ch, index) => [index, ch] as const))('every other character at position %i (%s)', (index, ch) => {
    for (const replacement of `${BASE64}=`) {
      if (replacement === ch) continue;
      const tampered = replaceAt(SIGNATURE, index, replacement);
      expect(verifySignature({ tokens: [TOKEN], signature: tampered, url: URL_SIGNED, params: SMS }).valid).toBe(false);
      expect(validateRequest(TOKEN, tampered, URL_SIGNED, SMS)).toBe(false);
    }
  });

  test('a non-canonical encoding of the same 20 bytes is refused too (the strings are compared)', () => {
    // The 27th character carries 2 padding bits; flipping them keeps the decoded bytes.
    const lastIndex = BASE64.indexOf(SIGNATURE[26] as string);
    const sameBytes = replaceAt(SIGNATURE, 26, BASE64[lastIndex ^ 1] as string);
    expect(Buffer.from(sameBytes, 'base64').equals(Buffer.from(SIGNATURE, 'base64'))).toBe(true);
    expect(verdicts(sameBytes, URL_SIGNED, SMS)).toEqual(REFUSED);
  });

  test.each([
    ['truncated', SIGNATURE.slice(0, 27)],
    ['extended', `${SIGNATURE}=`],
    ['without padding', SIGNATURE.replace('=', '')],
    ['hex of the same HMAC', Buffer.from(SIGNATURE, 'base64').toString('hex')],
    ['surrounded by spaces', ` ${SIGNATURE} `],
  ])('%s', (_name, tampered) => {
    expect(verdicts(tampered, URL_SIGNED, SMS)).toEqual(REFUSED);
  });

  test('the URL-safe base64 alphabet', () => {
    // Find a request whose signature has a `+` or `/` to rewrite.
    let body = 0;
    let params: Record<string, string> = SMS;
    let signature = SIGNATURE;
    while (!/[+/]/.test(signature)) {
      params = { ...SMS, Body: `message ${++body}` };
      signature = twilio.getExpectedTwilioSignature(TOKEN, URL_SIGNED, params);
    }
    expect(verdicts(signature, URL_SIGNED, params)).toEqual(ACCEPTED);
    expect(verdicts(signature.replace(/\+/g, '-').replace(/\//g, '_'), URL_SIGNED, params)).toEqual(REFUSED);
  });

  test('a signature made with another token', () => {
    const other = twilio.getExpectedTwilioSignature(`${TOKEN.slice(0, -1)}0`, URL_SIGNED, SMS);
    expect(verdicts(other, URL_SIGNED, SMS)).toEqual(REFUSED);
  });
});

describe('a JSON body (bodySHA256)', () => {
  const body = '{"AccountSid":"AC0123","Status":"twilio-approved","Note":"caf\u00e9 \u{1F600}"}';
  const url = `https://hooks.example.com/bundles?bodySHA256=${getExpectedBodyHash(body)}`;
  const signature = twilio.getExpectedTwilioSignature(TOKEN, url, {});

  test('the untouched request is accepted', () => {
    expect(verifySignature({ tokens: [TOKEN], signature, url, body }).valid).toBe(true);
    expect(validateRequestWithBody(TOKEN, signature, url, body)).toBe(true);
  });

  test('every changed character of the body is refused', () => {
    for (const edited of codePointEdits(body)) {
      expect(verifySignature({ tokens: [TOKEN], signature, url, body: edited }).valid).toBe(false);
      expect(validateRequestWithBody(TOKEN, signature, url, edited)).toBe(false);
      expect(twilio.validateRequestWithBody(TOKEN, signature, url, edited)).toBe(false);
    }
  });

  test('every changed character of the URL, hash included, is refused', () => {
    for (let index = 0; index < url.length; index++) {
      const tampered = replaceAt(url, index, replacementFor(url[index] as string));
      expect(verifySignature({ tokens: [TOKEN], signature, url: tampered, body }).valid).toBe(false);
      expect(validateRequestWithBody(TOKEN, signature, tampered, body)).toBe(false);
    }
  });

  test('a body re-hashed into a re-signed-looking URL is refused without the token', () => {
    const forgedBody = body.replace('twilio-approved', 'approved');
    const forgedUrl = `https://hooks.example.com/bundles?bodySHA256=${getExpectedBodyHash(forgedBody)}`;
    expect(verifySignature({ tokens: [TOKEN], signature, url: forgedUrl, body: forgedBody })).toEqual({ valid: false, reason: 'mismatch' });
  });
});

/** parseFormBody: the raw `application/x-www-form-urlencoded` body, decoded the way Twilio encodes it. */
import fc from 'fast-check';
import twilio from 'twilio';
import { encodeFormBody, parseFormBody, parseFormBodyChecked, validateRequest, type FormParams } from '@twiml-guard/core';

const plain = (params: FormParams): Record<string, string | string[]> => ({ ...params });

/**
 * What the WHATWG urlencoded parser makes of the same body, grouped the way parseFormBody groups.
 * The spec parses UTF-8 bytes, so raw non-ASCII is handed over as its `%XX` bytes: Node 20's
 * URLSearchParams mis-decodes raw non-ASCII next to an invalid escape (`é%B6` gives one U+FFFD).
 */
function groupedSearchParams(body: string): Record<string, string | string[]> {
  const asBytes = Buffer.from(body, 'utf8')
    .toString('utf8')
    .replace(/[^\x00-\x7f]+/gu, (text) => encodeURIComponent(text));
  const grouped: Record<string, string | string[]> = {};
  for (const [key, value] of new URLSearchParams(asBytes)) {
    const existing = Object.hasOwn(grouped, key) ? grouped[key] : undefined;
    if (existing === undefined) Object.defineProperty(grouped, key, { value, enumerable: true, writable: true, configurable: true });
    else if (Array.isArray(existing)) existing.push(value);
    else grouped[key] = [existing, value];
  }
  return grouped;
}

describe('decoding', () => {
  test('UTF-8 escapes, raw UTF-8 bytes and emoji', () => {
    const body = 'Body=Gr%C3%BC%C3%9Fe+%F0%9F%98%80&City=Malm%c3%b6';
    expect(plain(parseFormBody(body))).toEqual({ Body: 'Gr\u00fc\u00dfe \u{1F600}', City: 'Malm\u00f6' });
    expect(plain(parseFormBody(Buffer.from('Body=caf\u00e9 \u{1F600}', 'utf8')))).toEqual({ Body: 'caf\u00e9 \u{1F600}' });
  });

  test('+ is a space and %2B is a plus', () => {
    expect(plain(parseFormBody('From=%2B14155550100&Body=hello+there+%2B+you'))).toEqual({
      From: '+14155550100',
      Body: 'hello there + you',
    });
  });

  test('repeated keys become arrays in arrival order, duplicates kept', () => {
    expect(plain(parseFormBody('Digits=5678&To=%2B1&Digits=1234&Digits=5678'))).toEqual({ Digits: ['5678', '1234', '5678'], To: '+1' });
  });

  test('nothing is trimmed, empty values are kept', () => {
    expect(plain(parseFormBody('Body=+padded+&%20Key%20=x&FromZip=&ToCity'))).toEqual({
      Body: ' padded ',
      ' Key ': 'x',
      FromZip: '',
      ToCity: '',
    });
  });

  test('bracketed keys stay flat keys, never nested objects', () => {
    const params = parseFormBody('a[b]=1&a[c]=2&a%5Bd%5D=3&list[]=x&list[]=y');
    expect(plain(params)).toEqual({ 'a[b]': '1', 'a[c]': '2', 'a[d]': '3', 'list[]': ['x', 'y'] });
  });

  test('separators: empty pairs skipped, a bare key, an empty key, = inside a value', () => {
    expect(plain(parseFormBody('&&a=1&&'))).toEqual({ a: '1' });
    expect(plain(parseFormBody('=x&y=&z'))).toEqual({ '': 'x', y: '', z: '' });
    expect(plain(parseFormBody('url=https://e.com/?a=b=c'))).toEqual({ url: 'https://e.com/?a=b=c' });
    expect(plain(parseFormBody(''))).toEqual({});
    expect(plain(parseFormBody(new Uint8Array()))).toEqual({});
  });

  test('a semicolon is not a separator', () => {
    expect(plain(parseFormBody('a=1;b=2'))).toEqual({ a: '1;b=2' });
  });

  test('a BOM and control characters are data, kept as they are', () => {
    expect(plain(parseFormBody('%EF%BB%BFa=%00%0D%0A'))).toEqual({ '\ufeffa': '\u0000\r\n' });
  });
});

describe('prototype-looking keys', () => {
  test('__proto__, constructor and toString are ordinary own keys; nothing is polluted', () => {
    const params = parseFormBody('__proto__=x&constructor=y&toString=z&hasOwnProperty=w&__proto__=v');
    expect(Object.getPrototypeOf(params)).toBeNull();
    expect(Object.keys(params)).toEqual(['__proto__', 'constructor', 'toString', 'hasOwnProperty']);
    expect(params.__proto__).toEqual(['x', 'v']);
    expect(params.constructor).toBe('y');
    expect(({} as Record<string, unknown>).x).toBeUndefined();
    expect(Object.hasOwn(Object.prototype, 'toString')).toBe(true);
  });

  test('a key absent from the body is absent from the params', () => {
    const params = parseFormBody('Body=hi');
    expect(params.toString).toBeUndefined();
    expect('constructor' in params).toBe(false);
  });
});

describe('malformed input never throws', () => {
  test.each([
    ['a lone %', 'a=%', { a: '%' }],
    ['% then one hex digit', 'a=%4', { a: '%4' }],
    ['% then non-hex', 'a=%zz&b=%%41', { a: '%zz', b: '%A' }],
    ['a truncated UTF-8 sequence', 'a=%E2%82', { a: '\ufffd' }],
    ['an invalid UTF-8 byte', 'a=%FF', { a: '\ufffd' }],
    ['an encoded lone surrogate', 'a=%ED%A0%80', { a: '\ufffd\ufffd\ufffd' }],
    ['% in a key', '%=1&%g=2', { '%': '1', '%g': '2' }],
  ])('%s', (_name, body, expected) => {
    expect(() => parseFormBody(body)).not.toThrow();
    expect(plain(parseFormBody(body))).toEqual(expected);
    expect(parseFormBodyChecked(body).problems.length).toBeGreaterThan(0);
  });

  test('invalid UTF-8 in the raw bytes is replaced and reported', () => {
    const raw = Uint8Array.from([0x61, 0x3d, 0xff, 0xfe, 0x62]);
    expect(plain(parseFormBody(raw))).toEqual({ a: '\ufffd\ufffdb' });
    expect(parseFormBodyChecked(raw).problems).toContain('invalid UTF-8');
  });

  test('a well-formed body reports no problems', () => {
    expect(parseFormBodyChecked('Body=Gr%C3%BC%C3%9Fe&To=%2B1&Empty=').problems).toEqual([]);
  });

  test('any string parses without throwing, as URLSearchParams parses it', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary', maxLength: 40 }),
          fc
            .array(fc.constantFrom('a', '=', '&', '+', '%', '%4', '%41', '%C3', '%B6', '%FF', '\u00e9', '\u{1F600}', '[b]', ' '), {
              maxLength: 16,
            })
            .map((p) => p.join('')),
        ),
        (body) => {
          fc.pre(!body.startsWith('?')); // URLSearchParams drops one leading '?', a form body does not
          expect(plain(parseFormBody(body))).toEqual(groupedSearchParams(body));
          expect(plain(parseFormBody(Buffer.from(body, 'utf8')))).toEqual(groupedSearchParams(body));
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('round trip with the encoding Twilio (and URLSearchParams) produce', () => {
  const keyArb = fc.oneof(
    fc.constantFrom('Body', 'From', 'To', 'MediaUrl0', 'a[b]', '__proto__', 'toString', ''),
    fc.string({ unit: 'grapheme', maxLength: 6 }),
  );
  const valueArb = fc.oneof(
    fc.constantFrom('', ' ', '+14155550100', 'a+b', '50%', '\u{1F600}\u{1F44D}\u{1F3FD}'),
    fc.string({ unit: 'grapheme', maxLength: 12 }),
  );
  const entriesArb = fc.array(fc.tuple(keyArb, valueArb), { maxLength: 10 });

  test('encoded entries parse back to the same keys and values, repeats in order', () => {
    fc.assert(
      fc.property(entriesArb, (entries) => {
        const body = new URLSearchParams(entries).toString();
        const expected = new Map<string, string[]>();
        for (const [key, value] of entries) expected.set(key, [...(expected.get(key) ?? []), value]);
        const parsed = parseFormBody(body);
        // Key order is JavaScript's (integer-like keys first); only the values keep arrival order.
        expect(Object.keys(parsed).sort()).toEqual([...expected.keys()].sort());
        for (const [key, values] of expected) expect(parsed[key]).toEqual(values.length === 1 ? values[0] : values);
      }),
      { numRuns: 1500 },
    );
  });

  test('the parsed params validate a signature twilio made over the original params', () => {
    fc.assert(
      fc.property(entriesArb, (entries) => {
        const original: Record<string, string | string[]> = {};
        for (const [key, value] of entries) {
          const existing = Object.hasOwn(original, key) ? original[key] : undefined;
          const next = existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
          Object.defineProperty(original, key, { value: next, enumerable: true, writable: true, configurable: true });
        }
        const url = 'https://example.com/sms';
        const signature = twilio.getExpectedTwilioSignature('a-token', url, original);
        expect(validateRequest('a-token', signature, url, parseFormBody(new URLSearchParams(entries).toString()))).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('encodeFormBody (the one form encoder adapters and the simulator share)', () => {
  test('writes what URLSearchParams writes, and parseFormBody reads it back', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ unit: 'grapheme', minLength: 1 }), fc.string({ unit: 'grapheme' })), (params) => {
        const encoded = encodeFormBody(params);
        expect(encoded).toBe(new URLSearchParams(params).toString());
        expect({ ...parseFormBody(encoded) }).toEqual(params);
      }),
    );
  });
});

/** verifySignature: the verdict the pipeline acts on (which token, which URL variant, or why not). */
import fc from 'fast-check';
import twilio from 'twilio';
import {
  getExpectedBodyHash,
  isWellFormedSignature,
  urlCandidates,
  verifySignature,
  type SignatureVerdict,
  type UrlVariant,
} from '@twiml-guard/core';

const TOKENS = ['token-current-aaaaaaaaaaaaaaaaaaa', 'token-pending-bbbbbbbbbbbbbbbbbbb', 'token-previous-cccccccccccccccccc'];
const URL = 'https://hooks.example.com/sms?tenant=acme';
const PARAMS = { Body: 'hi \u{1F600}', From: '+14155550100', FromZip: '', Digits: ['2', '1'] };
const sign = (token: string, url: string, params: Record<string, unknown> = PARAMS): string =>
  twilio.getExpectedTwilioSignature(token, url, params);

describe('several tokens (rotation)', () => {
  test.each(TOKENS.map((token, index) => [index, token] as const))('a signature by token %i reports that index', (index, token) => {
    const verdict = verifySignature({ tokens: TOKENS, signature: sign(token, URL), url: URL, params: PARAMS });
    expect(verdict).toEqual({ valid: true, tokenIndex: index, url: URL, variant: 'as-received' });
  });

  test('the index refers to the list as given, empty entries included', () => {
    const tokens = ['', TOKENS[1] as string];
    expect(verifySignature({ tokens, signature: sign(TOKENS[1] as string, URL), url: URL, params: PARAMS })).toMatchObject({
      valid: true,
      tokenIndex: 1,
    });
  });

  test('a token listed twice reports its first index', () => {
    const tokens = [TOKENS[2] as string, TOKENS[0] as string, TOKENS[2] as string];
    expect(verifySignature({ tokens, signature: sign(TOKENS[2] as string, URL), url: URL, params: PARAMS })).toMatchObject({
      valid: true,
      tokenIndex: 0,
    });
  });

  test('a token outside the list is a mismatch', () => {
    expect(verifySignature({ tokens: TOKENS, signature: sign('token-unknown', URL), url: URL, params: PARAMS })).toEqual({
      valid: false,
      reason: 'mismatch',
    });
  });
});

describe('the URL variant that matched', () => {
  const cases: [string, string, string, UrlVariant][] = [
    // [name, URL signed by Twilio, URL received, variant reported]
    ['as received', 'https://hooks.example.com/sms?a=1', 'https://hooks.example.com/sms?a=1', 'as-received'],
    ['signed with :443, received without', 'https://hooks.example.com:443/sms', 'https://hooks.example.com/sms', 'with-default-port'],
    ['signed with :80 over http', 'http://hooks.example.com:80/sms', 'http://hooks.example.com/sms', 'with-default-port'],
    ['signed without the port, received with :443', 'https://hooks.example.com/sms', 'https://hooks.example.com:443/sms', 'without-port'],
    ['signed without a non-default port', 'https://hooks.example.com/sms', 'https://hooks.example.com:8443/sms', 'without-port'],
    ["signed with %27 for '", 'https://hooks.example.com/sms?q=it%27s', "https://hooks.example.com/sms?q=it's", 'normalized'],
    ['signed over the lower-cased host', 'https://hooks.example.com/sms', 'https://Hooks.EXAMPLE.com/sms', 'normalized'],
    ['signed lower-cased with :443', 'https://hooks.example.com:443/sms', 'https://Hooks.example.com/sms', 'normalized-with-default-port'],
    [
      'signed with %20 for +',
      'https://hooks.example.com/sms?name=Jane%20Doe',
      'https://hooks.example.com/sms?name=Jane+Doe',
      'legacy-query',
    ],
    [
      'signed with %20 for + and :443',
      'https://hooks.example.com:443/sms?name=Jane%20Doe',
      'https://hooks.example.com/sms?name=Jane+Doe',
      'legacy-query-with-default-port',
    ],
  ];

  test.each(cases)('%s', (_name, signedUrl, receivedUrl, variant) => {
    const signature = sign(TOKENS[0] as string, signedUrl);
    const verdict = verifySignature({ tokens: TOKENS, signature, url: receivedUrl, params: PARAMS });
    expect(verdict).toEqual({ valid: true, tokenIndex: 0, url: signedUrl, variant });
    // twilio@6.2.0 accepts every one of these too.
    expect(twilio.validateRequest(TOKENS[0] as string, signature, receivedUrl, PARAMS)).toBe(true);
  });

  test('directions twilio does not accept stay mismatches', () => {
    const refused: [string, string][] = [
      ['https://Hooks.example.com/sms', 'https://hooks.example.com/sms'], // mixed-case signed
      ['https://hooks.example.com/sms?name=Jane+Doe', 'https://hooks.example.com/sms?name=Jane%20Doe'],
      ['https://hooks.example.com', 'https://hooks.example.com/'],
      ['https://hooks.example.com/sms?', 'https://hooks.example.com/sms'],
      ['https://user:pass@hooks.example.com/sms', 'https://hooks.example.com/sms'],
      ['https://hooks.example.com/sms?b=2&a=1', 'https://hooks.example.com/sms?a=1&b=2'],
    ];
    for (const [signedUrl, receivedUrl] of refused) {
      const signature = sign(TOKENS[0] as string, signedUrl);
      expect(verifySignature({ tokens: TOKENS, signature, url: receivedUrl, params: PARAMS })).toEqual({
        valid: false,
        reason: 'mismatch',
      });
      expect(twilio.validateRequest(TOKENS[0] as string, signature, receivedUrl, PARAMS)).toBe(false);
    }
  });
});

describe('urlCandidates: each distinct string once, the raw ones without parsing', () => {
  const list = (url: string): [string, UrlVariant][] => Array.from(urlCandidates(url), (candidate) => [candidate.url, candidate.variant]);

  test('a plain https URL: itself, with :443; the normalised forms are the same strings and are not repeated', () => {
    expect(list('https://hooks.example.com/sms')).toEqual([
      ['https://hooks.example.com/sms', 'as-received'],
      ['https://hooks.example.com:443/sms', 'with-default-port'],
    ]);
  });

  test('a URL with a non-default port: itself without and with the port', () => {
    expect(list('https://hooks.example.com:8443/sms')).toEqual([
      ['https://hooks.example.com/sms', 'without-port'],
      ['https://hooks.example.com:8443/sms', 'as-received'],
    ]);
  });

  test('a URL WHATWG re-encodes yields the normalised and legacy forms after the raw ones', () => {
    const candidates = list("https://Hooks.example.com/sms?q=it's+ok");
    expect(candidates).toEqual([
      ["https://Hooks.example.com/sms?q=it's+ok", 'as-received'],
      ["https://Hooks.example.com:443/sms?q=it's+ok", 'with-default-port'],
      ['https://hooks.example.com/sms?q=it%27s+ok', 'normalized'],
      ['https://hooks.example.com:443/sms?q=it%27s+ok', 'normalized-with-default-port'],
      ["https://hooks.example.com/sms?q=it's%20ok", 'legacy-query'],
      ["https://hooks.example.com:443/sms?q=it's%20ok", 'legacy-query-with-default-port'],
    ]);
    expect(new Set(candidates.map(([url]) => url)).size).toBe(candidates.length);
  });

  test('a URL the WHATWG parser rejects still yields its raw candidates', () => {
    expect(list('https://exa mple.com/sms')).toEqual([
      ['https://exa mple.com/sms', 'as-received'],
      ['https://exa mple.com:443/sms', 'with-default-port'],
    ]);
  });

  test('a URL that is not absolute has no candidates', () => {
    expect(list('/sms?x=1')).toEqual([]);
    expect(list('hooks.example.com/sms')).toEqual([]);
  });

  test('IPv6 literals: the port is the colon after the bracket', () => {
    expect(list('https://[2001:db8::1]:8443/sms').map(([url]) => url)).toEqual([
      'https://[2001:db8::1]/sms',
      'https://[2001:db8::1]:8443/sms',
    ]);
    expect(list('https://[2001:db8::1]/sms').map(([url]) => url)).toEqual(['https://[2001:db8::1]/sms', 'https://[2001:db8::1]:443/sms']);
  });

  test('the first candidate is produced before any later one is computed', () => {
    const iterator = urlCandidates('https://hooks.example.com/sms?q=x');
    expect(iterator.next().value).toEqual({ url: 'https://hooks.example.com/sms?q=x', variant: 'as-received' });
  });
});

describe('reasons', () => {
  const signature = sign(TOKENS[0] as string, URL);
  const reasonOf = (verdict: SignatureVerdict): string => (verdict.valid ? 'valid' : verdict.reason);

  test.each([
    ['missing-signature', { tokens: TOKENS, signature: undefined, url: URL, params: PARAMS }],
    ['missing-signature', { tokens: TOKENS, signature: '', url: URL, params: PARAMS }],
    ['malformed-signature', { tokens: TOKENS, signature: 'not-a-signature', url: URL, params: PARAMS }],
    ['malformed-signature', { tokens: TOKENS, signature: `${signature} `, url: URL, params: PARAMS }],
    ['malformed-signature', { tokens: TOKENS, signature: signature.slice(0, 27), url: URL, params: PARAMS }],
    ['malformed-signature', { tokens: TOKENS, signature: Buffer.from(signature, 'base64').toString('hex'), url: URL, params: PARAMS }],
    ['no-token', { tokens: [], signature, url: URL, params: PARAMS }],
    ['no-token', { tokens: ['', ''], signature, url: URL, params: PARAMS }],
    ['invalid-url', { tokens: TOKENS, signature, url: '/sms?tenant=acme', params: PARAMS }],
    ['invalid-url', { tokens: TOKENS, signature, url: 'hooks.example.com/sms', params: PARAMS }],
    ['mismatch', { tokens: TOKENS, signature, url: URL, params: { ...PARAMS, Body: 'changed' } }],
    ['mismatch', { tokens: TOKENS, signature, url: URL, params: { Body: Symbol('odd') } }],
    ['mismatch', { tokens: TOKENS, signature, url: URL, params: { Body: Object.create(null) as unknown } }],
  ] as const)('%s', (reason, input) => {
    expect(() => verifySignature(input)).not.toThrow();
    expect(reasonOf(verifySignature(input))).toBe(reason);
  });

  test('well-formed means: exactly how Node writes some 20-byte digest in base64', () => {
    // Reference: the text survives a decode/encode round trip and is 28 characters of the standard alphabet.
    const reference = (text: string): boolean =>
      /^[A-Za-z0-9+/]{27}=$/.test(text) && Buffer.from(text, 'base64').toString('base64') === text;
    const characters = fc.constantFrom(
      ...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/',
      '=',
      '-',
      '_',
      ' ',
      '\u00c1',
      '\u0141',
      '\u{1F600}',
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.array(characters, { minLength: 26, maxLength: 29 }).map((c) => c.join('')),
          fc.uint8Array({ minLength: 20, maxLength: 20 }).map((bytes) => Buffer.from(bytes).toString('base64')),
        ),
        (text) => {
          expect(isWellFormedSignature(text)).toBe(reference(text));
        },
      ),
      { numRuns: 3000 },
    );
  });

  test('the signature is checked before the tokens and the URL', () => {
    expect(reasonOf(verifySignature({ tokens: [], signature: undefined, url: '/x' }))).toBe('missing-signature');
    expect(reasonOf(verifySignature({ tokens: [], signature: 'bad', url: '/x' }))).toBe('malformed-signature');
    expect(reasonOf(verifySignature({ tokens: [], signature, url: '/x' }))).toBe('no-token');
  });

  test('no params means no params (a GET: the query is in the URL)', () => {
    const getUrl = 'https://hooks.example.com/voice?CallSid=CA1&From=%2B1415';
    expect(verifySignature({ tokens: TOKENS, signature: sign(TOKENS[0] as string, getUrl, {}), url: getUrl })).toMatchObject({
      valid: true,
    });
  });
});

describe('JSON webhooks: a bodySHA256 URL always has its body checked', () => {
  const body = '{"CallSid":"CA1234567890ABCDE","Caller":"+12349013030","Note":"caf\u00e9"}';
  const url = `https://hooks.example.com/studio?bodySHA256=${getExpectedBodyHash(body)}`;
  const signature = sign(TOKENS[1] as string, url, {});

  test.each([
    ['string', body],
    ['Buffer', Buffer.from(body, 'utf8')],
    ['Uint8Array', new Uint8Array(Buffer.from(body, 'utf8'))],
  ])('the matching %s body is accepted, with the token index', (_kind, raw) => {
    expect(verifySignature({ tokens: TOKENS, signature, url, body: raw })).toEqual({
      valid: true,
      tokenIndex: 1,
      url,
      variant: 'as-received',
    });
  });

  test('another body is refused, though twilio.validateRequest accepts the URL alone', () => {
    const other = body.replace('+1234', '+1999');
    expect(twilio.validateRequest(TOKENS[1] as string, signature, url, {})).toBe(true);
    expect(verifySignature({ tokens: TOKENS, signature, url, body: other })).toEqual({ valid: false, reason: 'body-hash-mismatch' });
    expect(verifySignature({ tokens: TOKENS, signature, url, params: {}, body: other })).toEqual({
      valid: false,
      reason: 'body-hash-mismatch',
    });
  });

  test('no body at all is refused, even with params given', () => {
    expect(verifySignature({ tokens: TOKENS, signature, url })).toEqual({ valid: false, reason: 'missing-body' });
    expect(verifySignature({ tokens: TOKENS, signature, url, params: {} })).toEqual({ valid: false, reason: 'missing-body' });
  });

  test('the signature covers the URL alone: params passed alongside are not signed', () => {
    expect(verifySignature({ tokens: TOKENS, signature, url, params: { Extra: 'x' }, body })).toMatchObject({ valid: true });
  });

  test('a forged hash in the URL with a matching body still needs the signature', () => {
    const forgedBody = body.replace('CA1234567890ABCDE', 'CAFFFFFFFFFFFFFFF');
    const forgedUrl = `https://hooks.example.com/studio?bodySHA256=${getExpectedBodyHash(forgedBody)}`;
    expect(verifySignature({ tokens: TOKENS, signature, url: forgedUrl, body: forgedBody })).toEqual({ valid: false, reason: 'mismatch' });
  });

  test('the hash is read from the query only: bodySHA256 in the path is an ordinary form URL', () => {
    const pathUrl = 'https://hooks.example.com/bodySHA256/sms';
    expect(verifySignature({ tokens: TOKENS, signature: sign(TOKENS[0] as string, pathUrl), url: pathUrl, params: PARAMS })).toMatchObject({
      valid: true,
    });
  });

  test('a percent-encoded hash value and port variants work as for form URLs', () => {
    const encodedKeyUrl = `https://hooks.example.com/studio?body%53HA256=${getExpectedBodyHash(body)}`;
    const withPort = url.replace('example.com/', 'example.com:443/');
    expect(
      verifySignature({ tokens: TOKENS, signature: sign(TOKENS[0] as string, encodedKeyUrl, {}), url: encodedKeyUrl, body }),
    ).toMatchObject({ valid: true });
    expect(verifySignature({ tokens: TOKENS, signature, url: withPort, body })).toEqual({
      valid: true,
      tokenIndex: 1,
      url,
      variant: 'without-port',
    });
  });
});

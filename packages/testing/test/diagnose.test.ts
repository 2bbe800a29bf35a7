import {
  diagnoseRequest,
  formatDiagnosis,
  nearMissCandidates,
  signTwilioRequest,
  smsPreset,
  type CapturedRequest,
} from '@twiml-guard/testing';

const TOKEN = 'diagnose-token-0123456789abcdef01';

function capture(signedUrl: string, receivedUrl: string, options: { method?: string; json?: string } = {}): CapturedRequest {
  const signed = signTwilioRequest({
    url: signedUrl,
    authToken: TOKEN,
    ...(options.method ? { method: options.method } : {}),
    ...(options.json ? { json: options.json } : { params: smsPreset() }),
  });
  // The received URL keeps what signing appended (GET params, bodySHA256).
  const appended = signed.url.slice(signedUrl.length);
  return { url: receivedUrl + appended, method: signed.method, headers: signed.headers, body: signed.body };
}

function assertNoSecrets(value: unknown, request: CapturedRequest): void {
  const text = JSON.stringify(value);
  expect(text).not.toContain(TOKEN);
  expect(text).not.toContain(request.headers['X-Twilio-Signature'] as string);
}

describe('diagnoseRequest', () => {
  it('names the matching variant', () => {
    const request = capture('https://example.com/sms', 'https://example.com:443/sms');
    const diagnosis = diagnoseRequest(request, { authTokens: ['other', TOKEN] });
    expect(diagnosis).toMatchObject({
      valid: true,
      mode: 'form',
      match: { url: 'https://example.com/sms', variant: 'without-port', tokenIndex: 1 },
    });
    const lines = formatDiagnosis(diagnosis, 2);
    expect(lines.join('\n')).toContain('MATCH: the signature matches URL variant "without-port": https://example.com/sms');
    expect(lines.join('\n')).toContain('Token #2 of 2');
    assertNoSecrets(lines, request);
  });

  it.each([
    ['http captured, https signed', 'https://example.com/sms', 'http://example.com/sms', ['https instead of http']],
    ['a trailing slash', 'https://example.com/sms/', 'https://example.com/sms', ['with a trailing slash']],
    [
      'a stage Twilio saw but the function did not',
      'https://abc.execute-api.us-east-1.amazonaws.com/prod/sms',
      'https://abc.execute-api.us-east-1.amazonaws.com/sms',
      ['with a "/prod" path prefix'],
    ],
    [
      'a base path the function sees but Twilio did not',
      'https://api.example.com/sms',
      'https://api.example.com/v2/sms',
      ['without the first path segment "/v2" (a stage or base path)'],
    ],
    ['a proxy port', 'https://example.com/sms', 'https://example.com:8443/sms', null],
    [
      'a port where Twilio signed the default one',
      'https://example.com:443/sms',
      'https://example.com:3000/sms',
      ['without the port :3000'],
    ],
    ['http on a proxy port, https signed', 'https://example.com/sms', 'http://example.com:8080/sms', ['https instead of http']],
    ['a query the gateway dropped', 'https://example.com/sms', 'https://example.com/sms?tenant=1', ['without the query string']],
    [
      '+ and %20 in the query',
      'https://example.com/sms?name=Jane+Doe',
      'https://example.com/sms?name=Jane%20Doe',
      ['with spaces in the query as + instead of %20'],
    ],
    ['http and a trailing slash', 'http://example.com/sms/', 'https://example.com/sms', ['http instead of https', 'with a trailing slash']],
  ])('finds the near miss for %s', (_label, signedUrl, receivedUrl, changes) => {
    const request = capture(signedUrl, receivedUrl);
    const diagnosis = diagnoseRequest(request, { authTokens: [TOKEN] });
    if (changes === null) {
      // Port removal is one of twilio's own variants, so this one simply matches.
      expect(diagnosis.valid).toBe(true);
      return;
    }
    expect(diagnosis.valid).toBe(false);
    expect(diagnosis.failure).toBe('mismatch');
    expect(diagnosis.nearMiss?.changes).toEqual(changes);
    expect(diagnosis.nearMiss?.url).toBe(signedUrl);
    const text = formatDiagnosis(diagnosis).join('\n');
    expect(text).toContain(`NEAR MISS: the signature matches ${signedUrl}`);
    assertNoSecrets([diagnosis, text], request);
  });

  it('finds a user-supplied base path', () => {
    const request = capture('https://gw.example.com/tenant-7/sms', 'https://gw.example.com/sms');
    expect(diagnoseRequest(request, { authTokens: [TOKEN] }).nearMiss).toBeUndefined();
    expect(diagnoseRequest(request, { authTokens: [TOKEN], pathPrefixes: ['tenant-7'] }).nearMiss?.changes).toEqual([
      'with a "/tenant-7" path prefix',
    ]);
  });

  it('says when nothing near matches (wrong token)', () => {
    const request = capture('https://example.com/sms', 'https://example.com/sms');
    const diagnosis = diagnoseRequest(request, { authTokens: ['not-the-token'] });
    expect(diagnosis).toMatchObject({ valid: false, failure: 'mismatch' });
    expect(diagnosis.nearMiss).toBeUndefined();
    expect(diagnosis.nearMissesTried).toBeGreaterThan(10);
    expect(formatDiagnosis(diagnosis).join('\n')).toContain('No near-miss URL matched');
  });

  it('handles GET (params in the query) and JSON (bodySHA256)', () => {
    const get = capture('https://example.com/voice', 'https://example.com/voice', { method: 'GET' });
    expect(diagnoseRequest(get, { authTokens: [TOKEN] })).toMatchObject({ valid: true, mode: 'query' });
    const json = capture('https://example.com/studio', 'https://example.com/studio', { json: '{"a": 1}' });
    expect(diagnoseRequest(json, { authTokens: [TOKEN] })).toMatchObject({ valid: true, mode: 'json' });
  });

  it('blames the body when it no longer hashes to bodySHA256', () => {
    const json = capture('https://example.com/studio', 'https://example.com/studio', { json: '{"a": 1}' });
    const diagnosis = diagnoseRequest({ ...json, body: '{"a":1}' }, { authTokens: [TOKEN] });
    expect(diagnosis).toMatchObject({ valid: false, failure: 'body-hash-mismatch' });
    expect(diagnosis.notes.join(' ')).toContain('re-serialised JSON');
  });

  it('reports a missing or malformed signature without echoing it', () => {
    const request = capture('https://example.com/sms', 'https://example.com/sms');
    const { 'X-Twilio-Signature': _dropped, ...rest } = request.headers as Record<string, string>;
    expect(diagnoseRequest({ ...request, headers: rest }, { authTokens: [TOKEN] }).failure).toBe('missing-signature');
    const malformed = diagnoseRequest(
      { ...request, headers: { ...rest, 'x-twilio-signature': 'secret-looking-value' } },
      { authTokens: [TOKEN] },
    );
    expect(malformed.failure).toBe('malformed-signature');
    expect(JSON.stringify(malformed)).not.toContain('secret-looking-value');
    expect(formatDiagnosis(malformed).join('\n')).toContain('20 characters instead of 28');
  });

  it('notes a JSON body without bodySHA256 and a malformed form body', () => {
    const diagnosis = diagnoseRequest(
      {
        url: 'https://example.com/x',
        headers: { 'content-type': 'application/json', 'x-twilio-signature': `${'A'.repeat(27)}=` },
        body: '{"a":"%zz"}',
      },
      { authTokens: [TOKEN] },
    );
    expect(diagnosis.notes.join(' ')).toMatch(/no bodySHA256/);
    expect(diagnosis.notes.join(' ')).toMatch(/malformed percent-escape/);
  });
});

describe('nearMissCandidates', () => {
  it('lists fewest changes first, never the URL itself, never twice', () => {
    const candidates = nearMissCandidates('https://example.com:8443/prod/sms?x=a+b');
    const urls = candidates.map((candidate) => candidate.url);
    expect(urls).not.toContain('https://example.com:8443/prod/sms?x=a+b');
    expect(new Set(urls).size).toBe(urls.length);
    const counts = candidates.map((candidate) => candidate.changes.length);
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
    expect(candidates[0]?.changes).toHaveLength(1);
    expect(urls).toContain('http://example.com:8443/prod/sms?x=a+b');
    expect(urls).toContain('https://example.com/prod/sms?x=a+b');
    expect(urls).toContain('https://example.com:8443/sms?x=a+b');
    expect(urls).toContain('https://example.com:8443/prod/sms/?x=a+b');
    expect(urls).toContain('https://example.com:8443/prod/sms');
    expect(urls).toContain('https://example.com:8443/prod/sms?x=a%20b');
  });

  it('gives nothing for a relative URL', () => {
    expect(nearMissCandidates('/sms')).toEqual([]);
  });
});

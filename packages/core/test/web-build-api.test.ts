/**
 * The core as the web build has it (crypto/index resolved to crypto/web.ts, as scripts/build.mjs
 * does): the synchronous drop-in functions say which async export to use, and the async ones
 * accept exactly what twilio accepts.
 */
import fc from 'fast-check';
import twilio from 'twilio';

jest.mock('../src/crypto/index', () => jest.requireActual('../src/crypto/web'));

// eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded after the mock on purpose
const core = require('../src/index') as typeof import('../src/index');

const TOKEN = '12345678901234567890123456789012';

test('the build is the web one', () => {
  expect(core.cryptoRuntime).toBe('web');
});

test('the synchronous drop-ins throw an error naming their async twin', () => {
  const signature = twilio.getExpectedTwilioSignature(TOKEN, 'https://example.com/sms', { Body: 'hi' });
  expect(() => core.validateRequest(TOKEN, signature, 'https://example.com/sms', { Body: 'hi' })).toThrow(
    'validateRequest() is synchronous and needs node:crypto, which this runtime does not provide: use validateRequestAsync()',
  );
  expect(() => core.getExpectedBodyHash('{}')).toThrow(/use getExpectedBodyHashAsync\(\)/);
  expect(() => core.verifySignature({ tokens: [TOKEN], signature, url: 'https://example.com/sms', params: { Body: 'hi' } })).toThrow(
    /use verifySignatureAsync\(\)/,
  );
});

test('the synchronous drop-ins throw even when the answer needs no crypto (unsigned, malformed, no token)', () => {
  // An unsigned curl must meet the same error as a real Twilio request, not a quiet false.
  expect(() => core.validateRequest(TOKEN, '', 'https://example.com/sms', {})).toThrow(/use validateRequestAsync\(\)/);
  expect(() => core.validateRequest(TOKEN, 'not-a-signature', 'https://example.com/sms', {})).toThrow(/use validateRequestAsync\(\)/);
  expect(() => core.validateRequest('', 'AAAAAAAAAAAAAAAAAAAAAAAAAAA=', 'https://example.com/sms', {})).toThrow(
    /use validateRequestAsync\(\)/,
  );
  expect(() => core.validateRequestWithBody(TOKEN, '', 'not a url', '{}')).toThrow(/use validateRequestWithBodyAsync\(\)/);
  expect(() => core.verifySignature({ tokens: [TOKEN], signature: 'short', url: 'https://example.com/sms', params: {} })).toThrow(
    /use verifySignatureAsync\(\)/,
  );
  expect(() => core.checkBasicAuth({}, { username: 'twilio', password: 'secret' })).toThrow(/use checkBasicAuthAsync\(\)/);
});

test('validateRequestAsync accepts exactly what twilio.validateRequest accepts', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(
        'https://example.com/sms',
        'https://example.com:443/sms?x=1',
        "https://example.com/a b?name=O'hara",
        'http://localhost:3000/x',
      ),
      fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), fc.string({ maxLength: 20 }), { maxKeys: 5 }),
      fc.boolean(),
      async (url, params, forge) => {
        const signature = twilio.getExpectedTwilioSignature(forge ? 'f'.repeat(32) : TOKEN, url, params);
        expect(await core.validateRequestAsync(TOKEN, signature, url, params)).toBe(twilio.validateRequest(TOKEN, signature, url, params));
        expect(await core.getExpectedTwilioSignatureAsync(TOKEN, url, params)).toBe(twilio.getExpectedTwilioSignature(TOKEN, url, params));
      },
    ),
    { numRuns: 200 },
  );
});

test('validateRequestWithBodyAsync and the body hash agree with twilio', async () => {
  const body = '{"Body":"hello ünï"}';
  const url = `https://example.com/studio?bodySHA256=${twilio.getExpectedBodyHash(body)}`;
  const signature = twilio.getExpectedTwilioSignature(TOKEN, url, {});
  expect(await core.getExpectedBodyHashAsync(body)).toBe(twilio.getExpectedBodyHash(body));
  expect(await core.validateRequestWithBodyAsync(TOKEN, signature, url, body)).toBe(true);
  expect(await core.validateRequestWithBodyAsync(TOKEN, signature, url, '{"Body":"tampered"}')).toBe(false);
});

test('verifySignatureAsync names the token that matched during a rotation, and the URL variant', async () => {
  const previous = 'p'.repeat(32);
  const url = 'https://example.com:443/sms';
  const signature = twilio.getExpectedTwilioSignature(previous, 'https://example.com/sms', { Body: 'x' });
  await expect(core.verifySignatureAsync({ tokens: [TOKEN, previous], signature, url, params: { Body: 'x' } })).resolves.toEqual({
    valid: true,
    tokenIndex: 1,
    url: 'https://example.com/sms',
    variant: 'without-port',
  });
});

test('Digest on the web build: challenge, nonce check and response, MD5 and SHA-256', async () => {
  for (const algorithm of ['MD5', 'SHA-256'] as const) {
    const options = { username: 'twilio', password: 'secret', algorithm };
    const nonce = await core.createNonceAsync(options);
    await expect(core.checkNonceAsync(options, nonce)).resolves.toBe('valid');
    await expect(core.checkNonceAsync(options, `${nonce}x`)).resolves.toBe('forged');
    const response = await core.digestResponseAsync({
      algorithm,
      username: 'twilio',
      realm: 'twilio-webhook',
      password: 'secret',
      method: 'POST',
      uri: '/sms',
      nonce,
      nc: '00000001',
      cnonce: 'c',
    });
    const header = `Digest username="twilio", realm="twilio-webhook", nonce="${nonce}", uri="/sms", algorithm=${algorithm}, qop=auth, nc=00000001, cnonce="c", response="${response}"`;
    await expect(core.checkDigestAuthAsync({ authorization: header }, 'POST', ['/sms'], options)).resolves.toEqual({ ok: true });
    await expect(
      core.checkDigestAuthAsync({ authorization: header.replace('uri="/sms"', 'uri="/other"') }, 'POST', ['/sms', '/other'], options),
    ).resolves.toEqual({ ok: false, reason: 'wrong-credentials' });
  }
});

test('Basic auth and the secret compare on the web build', async () => {
  const options = { username: 'twilio', password: 'pässwörd' };
  const header = (user: string, password: string) => ({ authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` });
  await expect(core.checkBasicAuthAsync(header('twilio', 'pässwörd'), options)).resolves.toBe('ok');
  await expect(core.checkBasicAuthAsync(header('twilio', 'password'), options)).resolves.toBe('wrong-credentials');
  await expect(core.safeEqualSecretAsync('a', 'a')).resolves.toBe(true);
  await expect(core.safeEqualSecretAsync('a', 'ab')).resolves.toBe(false);
});

test('dedupe keys are the same hashes as on Node', async () => {
  const { createHash } = jest.requireActual<typeof import('node:crypto')>('node:crypto');
  await expect(core.dedupeKeysAsync('sig')).resolves.toEqual([`sig:${createHash('sha256').update('sig').digest('base64url')}`]);
});

import { createHash } from 'node:crypto';
import {
  checkDigestAuth,
  checkNonce,
  createNonce,
  digestChallenge,
  digestResponse,
  parseDigestHeader,
  type DigestAuthOptions,
} from '../src/digest-auth';

// RFC 7616 §3.9.1 worked example.
const rfc = {
  username: 'Mufasa',
  password: 'Circle of Life',
  realm: 'http-auth@example.org',
  method: 'GET',
  uri: '/dir/index.html',
  nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v',
  nc: '00000001',
  cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
};

describe('digest response (RFC 7616)', () => {
  test('matches the RFC 7616 §3.9.1 published responses for MD5 and SHA-256', () => {
    expect(digestResponse({ ...rfc, algorithm: 'MD5' })).toBe('8ca523f5e9506fed4657c9700eebdbec');
    expect(digestResponse({ ...rfc, algorithm: 'SHA-256' })).toBe('753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1');
  });

  test('-sess variants hash HA1 with nonce and cnonce', () => {
    const md5 = (s: string) => createHash('md5').update(s).digest('hex');
    const ha1 = md5(`${md5(`${rfc.username}:${rfc.realm}:${rfc.password}`)}:${rfc.nonce}:${rfc.cnonce}`);
    const ha2 = md5(`${rfc.method}:${rfc.uri}`);
    expect(digestResponse({ ...rfc, algorithm: 'MD5-sess' })).toBe(md5(`${ha1}:${rfc.nonce}:${rfc.nc}:${rfc.cnonce}:auth:${ha2}`));
  });
});

describe('stateless nonces', () => {
  const options: DigestAuthOptions = { username: 'u', password: 'p', nonceTtlMs: 300_000 };
  test('a nonce is valid, then stale after its TTL, and forged when altered or minted with another key', () => {
    const nonce = createNonce(options, 1_000_000);
    expect(checkNonce(options, nonce, 1_000_000 + 1000)).toBe('valid');
    expect(checkNonce(options, nonce, 1_000_000 + 300_001)).toBe('stale');
    expect(checkNonce(options, `${nonce.slice(0, -1)}${nonce.endsWith('A') ? 'B' : 'A'}`, 1_000_000)).toBe('forged');
    expect(checkNonce({ ...options, password: 'other' }, nonce, 1_000_000)).toBe('forged');
    expect(checkNonce(options, 'garbage', 1_000_000)).toBe('forged');
  });
});

describe('checkDigestAuth', () => {
  const options: DigestAuthOptions = { username: 'twilio', password: 's3cret', realm: 'hooks', algorithm: 'SHA-256' };
  const now = 5_000_000;
  function authorization(overrides: Partial<Record<string, string>> = {}, password = 's3cret'): string {
    const nonce = overrides.nonce ?? createNonce(options, now);
    const uri = overrides.uri ?? '/sms?x=1';
    const response = digestResponse({
      algorithm: 'SHA-256',
      username: 'twilio',
      realm: 'hooks',
      password,
      method: 'POST',
      uri,
      nonce,
      nc: '00000001',
      cnonce: 'abc',
    });
    const fields = {
      username: 'twilio',
      realm: 'hooks',
      nonce,
      uri,
      algorithm: 'SHA-256',
      qop: 'auth',
      nc: '00000001',
      cnonce: 'abc',
      response,
      ...overrides,
    };
    return `Digest ${Object.entries(fields)
      .map(([k, v]) => (k === 'qop' || k === 'nc' || k === 'algorithm' ? `${k}=${v}` : `${k}="${v}"`))
      .join(', ')}`;
  }
  const check = (header?: string, at = now) => checkDigestAuth(header ? { authorization: header } : {}, 'POST', ['/sms?x=1'], options, at);

  test('right credentials pass', () => expect(check(authorization())).toEqual({ ok: true }));
  test('no header', () => expect(check()).toEqual({ ok: false, reason: 'missing' }));
  test('wrong password', () => expect(check(authorization({}, 'nope'))).toEqual({ ok: false, reason: 'wrong-credentials' }));
  test('wrong uri', () => expect(check(authorization({ uri: '/other' }))).toEqual({ ok: false, reason: 'wrong-uri' }));
  test('forged nonce', () =>
    expect(check(authorization({ nonce: '1.AAAAAAAAAAAAAAAAAAAAAA' }))).toEqual({ ok: false, reason: 'bad-nonce' }));
  test('expired nonce is stale', () => expect(check(authorization(), now + 10 * 60_000)).toEqual({ ok: false, reason: 'stale-nonce' }));
  test('wrong algorithm', () => expect(check(authorization({ algorithm: 'MD5' }))).toEqual({ ok: false, reason: 'wrong-algorithm' }));
  test('malformed headers', () => {
    for (const header of [
      'Digest',
      'Digest username=',
      'Basic dXNlcjpwYXNz',
      'Digest username="a" realm="b"',
      'Digest username="twilio", username="x"',
    ]) {
      expect(check(header).ok).toBe(false);
    }
  });
  test('challenge carries realm, qop, algorithm, nonce, opaque and stale when asked', () => {
    const challenge = digestChallenge(options, true, now);
    const fields = parseDigestHeader(challenge);
    expect(fields?.get('realm')).toBe('hooks');
    expect(fields?.get('qop')).toBe('auth');
    expect(fields?.get('algorithm')).toBe('SHA-256');
    expect(fields?.get('stale')).toBe('true');
    expect(checkNonce(options, fields?.get('nonce') ?? '', now)).toBe('valid');
  });
});

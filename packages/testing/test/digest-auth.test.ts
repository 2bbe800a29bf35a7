import { createHash } from 'node:crypto';
import { digestAuthorization, parseWwwAuthenticate, toDigestChallenge, type DigestChallenge } from '@twiml-guard/testing';

// RFC 7616 §3.9.1: the same request answered with SHA-256 and with MD5.
const RFC = {
  username: 'Mufasa',
  password: 'Circle of Life',
  realm: 'http-auth@example.org',
  nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v',
  cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
  opaque: 'FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS',
  uri: '/dir/index.html',
  method: 'GET',
};

const hex = (algorithm: string, text: string): string => createHash(algorithm).update(text).digest('hex');

function rfcChallenge(algorithm: string, qop: string[] = ['auth']): DigestChallenge {
  return { realm: RFC.realm, nonce: RFC.nonce, qop, algorithm, opaque: RFC.opaque, stale: false };
}

function fields(header: string): Record<string, string> {
  const [challenge] = parseWwwAuthenticate(header);
  expect(challenge?.scheme).toBe('digest');
  return { ...challenge?.params };
}

describe('digestAuthorization', () => {
  it.each([
    ['MD5', 'md5', '8ca523f5e9506fed4657c9700eebdbec'],
    ['SHA-256', 'sha256', '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1'],
  ])('answers the RFC 7616 example with %s', (algorithm, nodeHash, published) => {
    const ha1 = hex(nodeHash, `${RFC.username}:${RFC.realm}:${RFC.password}`);
    const ha2 = hex(nodeHash, `${RFC.method}:${RFC.uri}`);
    const expected = hex(nodeHash, `${ha1}:${RFC.nonce}:00000001:${RFC.cnonce}:auth:${ha2}`);
    // The response the RFC prints, recomputed here step by step.
    expect(expected).toBe(published);

    const result = digestAuthorization({
      challenge: rfcChallenge(algorithm),
      username: RFC.username,
      password: RFC.password,
      method: RFC.method,
      uri: RFC.uri,
      cnonce: RFC.cnonce,
    });
    expect(result.response).toBe(expected);
    expect(result.nc).toBe('00000001');
    expect(result.qop).toBe('auth');
    expect(fields(result.header)).toEqual({
      username: RFC.username,
      realm: RFC.realm,
      uri: RFC.uri,
      algorithm,
      nonce: RFC.nonce,
      nc: '00000001',
      cnonce: RFC.cnonce,
      qop: 'auth',
      response: expected,
      opaque: RFC.opaque,
    });
  });

  it.each([
    ['MD5-sess', 'md5'],
    ['SHA-256-sess', 'sha256'],
  ])('hashes the nonce and cnonce into HA1 for %s', (algorithm, nodeHash) => {
    const ha1 = hex(nodeHash, `${hex(nodeHash, `${RFC.username}:${RFC.realm}:${RFC.password}`)}:${RFC.nonce}:${RFC.cnonce}`);
    const ha2 = hex(nodeHash, `POST:/sms?x=1`);
    const expected = hex(nodeHash, `${ha1}:${RFC.nonce}:00000002:${RFC.cnonce}:auth:${ha2}`);
    const result = digestAuthorization({
      challenge: rfcChallenge(algorithm),
      username: RFC.username,
      password: RFC.password,
      method: 'POST',
      uri: '/sms?x=1',
      cnonce: RFC.cnonce,
      nonceCount: 2,
    });
    expect(result.response).toBe(expected);
    expect(fields(result.header).nc).toBe('00000002');
  });

  it('hashes the body for qop auth-int when auth is not offered', () => {
    const body = 'Body=Hi&From=%2B15558675310';
    const ha1 = hex('md5', `${RFC.username}:${RFC.realm}:${RFC.password}`);
    const ha2 = hex('md5', `POST:/sms:${hex('md5', body)}`);
    const expected = hex('md5', `${ha1}:${RFC.nonce}:00000001:${RFC.cnonce}:auth-int:${ha2}`);
    const result = digestAuthorization({
      challenge: rfcChallenge('MD5', ['auth-int']),
      username: RFC.username,
      password: RFC.password,
      method: 'POST',
      uri: '/sms',
      body,
      cnonce: RFC.cnonce,
    });
    expect(result.qop).toBe('auth-int');
    expect(result.response).toBe(expected);
  });

  it('prefers qop auth when both are offered', () => {
    const result = digestAuthorization({
      challenge: rfcChallenge('MD5', ['auth-int', 'auth']),
      username: 'u',
      password: 'p',
      method: 'POST',
      uri: '/',
      body: 'x',
    });
    expect(result.qop).toBe('auth');
  });

  it('answers an RFC 2069 challenge (no qop) without nc and cnonce', () => {
    const ha1 = hex('md5', `${RFC.username}:${RFC.realm}:${RFC.password}`);
    const expected = hex('md5', `${ha1}:${RFC.nonce}:${hex('md5', 'GET:/dir/index.html')}`);
    const result = digestAuthorization({
      challenge: rfcChallenge('MD5', []),
      username: RFC.username,
      password: RFC.password,
      method: 'GET',
      uri: RFC.uri,
    });
    expect(result.response).toBe(expected);
    const sent = fields(result.header);
    expect(sent.nc).toBeUndefined();
    expect(sent.cnonce).toBeUndefined();
    expect(sent.qop).toBeUndefined();
  });

  it('uses a fresh random cnonce unless given and escapes quotes in the username', () => {
    const first = digestAuthorization({ challenge: rfcChallenge('MD5'), username: 'a"b\\c', password: 'p', method: 'GET', uri: '/' });
    const second = digestAuthorization({ challenge: rfcChallenge('MD5'), username: 'a"b\\c', password: 'p', method: 'GET', uri: '/' });
    expect(first.cnonce).not.toBe(second.cnonce);
    expect(fields(first.header).username).toBe('a"b\\c');
    expect(first.header).toContain('username="a\\"b\\\\c"');
  });
});

describe('toDigestChallenge', () => {
  const parse = (header: string): DigestChallenge | undefined => {
    const [challenge] = parseWwwAuthenticate(header);
    return challenge ? toDigestChallenge(challenge) : undefined;
  };

  it('reads realm, nonce, qop list, algorithm, opaque and stale', () => {
    expect(parse('Digest realm="r", qop="auth, auth-int", algorithm=SHA-256-sess, nonce="n", opaque="o", stale=TRUE')).toEqual({
      realm: 'r',
      nonce: 'n',
      qop: ['auth', 'auth-int'],
      algorithm: 'SHA-256-sess',
      opaque: 'o',
      stale: true,
    });
    expect(parse('Digest realm="r", nonce="n"')).toEqual({ realm: 'r', nonce: 'n', qop: [], algorithm: 'MD5', stale: false });
  });

  it.each([
    ['an unsupported algorithm', 'Digest realm="r", nonce="n", algorithm=SHA-512-256'],
    ['no nonce', 'Digest realm="r"'],
    ['only unknown qop values', 'Digest realm="r", nonce="n", qop="auth-conf"'],
    ['another scheme', 'Basic realm="r"'],
  ])('rejects %s', (_label, header) => {
    expect(parse(header)).toBeUndefined();
  });
});

describe('parseWwwAuthenticate', () => {
  it('splits several challenges and unescapes quoted strings', () => {
    expect(parseWwwAuthenticate('Basic realm="a \\"quoted\\" realm", charset="UTF-8", Digest realm=x, nonce="1,2", qop=auth')).toEqual([
      { scheme: 'basic', params: { realm: 'a "quoted" realm', charset: 'UTF-8' } },
      { scheme: 'digest', params: { realm: 'x', nonce: '1,2', qop: 'auth' } },
    ]);
  });

  it('reads a token68 challenge and a bare scheme', () => {
    expect(parseWwwAuthenticate('Negotiate abc==, Basic')).toEqual([
      { scheme: 'negotiate', params: {}, token68: 'abc==' },
      { scheme: 'basic', params: {} },
    ]);
  });
});

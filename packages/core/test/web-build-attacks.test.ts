/**
 * Adversarial review of the web build (crypto/index resolved to crypto/web.ts, as scripts/build.mjs
 * does): unicode and oversized tokens against twilio, the HMAC key cache under churn, MD5 padding
 * edges against node:crypto, odd Basic credentials, and logging on a runtime with a partial console.
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import twilio from 'twilio';
import { RFC1321_SUITE } from './md5-vectors.js';

jest.mock('../src/crypto/index', () => jest.requireActual('../src/crypto/web'));

// eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded after the mock on purpose
const core = require('../src/index') as typeof import('../src/index');
// The rotation subpath, loaded after the mock too.
const rotation = require('../src/rotation') as typeof import('../src/rotation');
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the web primitives themselves
const web = require('../src/crypto/web') as typeof import('../src/crypto/web');

const unicodeText = (maxLength: number) =>
  fc.string({
    unit: fc.oneof(fc.constant('a'), fc.constant('é'), fc.constant('😀'), fc.constant('\u0000'), fc.constant('\ud800'), fc.constant('€')),
    maxLength,
  });

test('unicode tokens, URLs and params (lone surrogates, NUL, astral) sign as twilio signs them', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.oneof(unicodeText(100), fc.string({ unit: 'grapheme', maxLength: 100 }), fc.string({ minLength: 65, maxLength: 300 })),
      fc.oneof(unicodeText(40), fc.string({ unit: 'grapheme', maxLength: 40 })),
      fc.dictionary(
        fc.string({ unit: 'grapheme', maxLength: 8 }),
        fc.oneof(unicodeText(20), fc.string({ unit: 'grapheme', maxLength: 20 })),
        { maxKeys: 4 },
      ),
      async (token, path, params) => {
        fc.pre(token !== '');
        const url = `https://example.com/${path}`;
        const expected = twilio.getExpectedTwilioSignature(token, url, params);
        expect(await core.getExpectedTwilioSignatureAsync(token, url, params)).toBe(expected);
        expect(await core.validateRequestAsync(token, expected, url, params)).toBe(true);
      },
    ),
    { numRuns: 300 },
  );
});

test('tokens longer than the SHA-1 block (hashed first by HMAC) and 64/65-byte edges match twilio', async () => {
  const url = 'https://example.com/sms';
  for (const token of ['a'.repeat(63), 'a'.repeat(64), 'a'.repeat(65), 'é'.repeat(32), 'é'.repeat(33), 'x'.repeat(10_000)]) {
    const expected = twilio.getExpectedTwilioSignature(token, url, { Body: 'hi' });
    expect(await core.getExpectedTwilioSignatureAsync(token, url, { Body: 'hi' })).toBe(expected);
  }
});

test('empty token equals one zero byte for HMAC (the import workaround) and is refused by validateRequestAsync', async () => {
  expect(await web.hmacSha1Base64('', 'data')).toBe(require('node:crypto').createHmac('sha1', '').update('data').digest('base64'));
  expect(await web.hmacSha1Base64('\u0000', 'data')).toBe(
    require('node:crypto').createHmac('sha1', '\u0000').update('data').digest('base64'),
  );
  const signature = require('node:crypto').createHmac('sha1', '').update('https://example.com/sms').digest('base64') as string;
  expect(await core.validateRequestAsync('', signature, 'https://example.com/sms', {})).toBe(false);
});

test('key cache: prefix tokens, NUL-suffixed tokens and 200 tokens of churn never cross', async () => {
  const base = '12345678901234567890123456789012';
  const tokens = [base, base.slice(0, 31), `${base}\u0000`, `${base}0`, `SHA-256\u0000${base}`];
  for (let i = 0; i < 200; i++) tokens.push(`${base.slice(0, 28)}${String(i).padStart(4, '0')}`);
  const data = 'https://example.com/smsBodyhi';
  const expectedOf = (token: string) => require('node:crypto').createHmac('sha1', token).update(data).digest('base64') as string;
  // Interleaved and concurrent: clears happen while other imports are still in flight.
  const results = await Promise.all(
    [...tokens, ...tokens.slice().reverse()].map(async (token) => [token, await web.hmacSha1Base64(token, data)] as const),
  );
  for (const [token, got] of results) expect(got).toBe(expectedOf(token));
  // SHA-1 and SHA-256 keys with the same secret stay apart.
  expect(await web.hmacSha256Base64Url(base, data)).toBe(
    require('node:crypto').createHmac('sha256', base).update(data).digest('base64url'),
  );
  expect(await web.hmacSha1Base64(base, data)).toBe(expectedOf(base));
});

test('malformed, short, long and non-ASCII signatures are refused without an unhandled rejection', async () => {
  const token = '12345678901234567890123456789012';
  const url = 'https://example.com/sms';
  const good = twilio.getExpectedTwilioSignature(token, url, { Body: 'hi' });
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  try {
    for (const signature of [
      '',
      '=',
      good.slice(0, 27),
      `${good}=`,
      `${good.slice(0, 27)}\u00bd`,
      good.replace(/=$/, '\u0100'),
      `${good.slice(0, 26)}B=`,
      `${good} `,
      'a'.repeat(100_000),
    ]) {
      expect(await core.validateRequestAsync(token, signature, url, { Body: 'hi' })).toBe(false);
    }
    expect(await core.validateRequestAsync(token, undefined as unknown as string, url, { Body: 'hi' })).toBe(false);
    expect(await core.validateRequestAsync(token, good, url, { Body: 'hi' })).toBe(true);
    expect(() => core.validateRequest(token, good, url, { Body: 'hi' })).toThrow(/validateRequestAsync/);
    await new Promise((resolve) => setTimeout(resolve, 20));
  } finally {
    process.off('unhandledRejection', onUnhandled);
  }
  expect(unhandled).toEqual([]);
});

test('MD5: RFC 1321 vectors, padding edges (55/56/63/64/119/120 bytes) and UTF-8 match node:crypto', () => {
  const rfc = RFC1321_SUITE;
  for (const [text, hex] of rfc) expect(web.md5Hex(text)).toBe(hex);
  for (const length of [0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 121, 127, 128, 1000, 100_003]) {
    const ascii = 'q'.repeat(length);
    expect(web.md5Hex(ascii)).toBe(createHash('md5').update(ascii, 'utf8').digest('hex'));
    // Two-byte characters: byte lengths straddle the edges from the other side.
    const twoByte = 'é'.repeat(length >> 1) + (length & 1 ? 'z' : '');
    expect(web.md5Hex(twoByte)).toBe(createHash('md5').update(twoByte, 'utf8').digest('hex'));
  }
  fc.assert(
    fc.property(
      fc.string({ unit: 'grapheme', maxLength: 200 }),
      (text) => web.md5Hex(text) === createHash('md5').update(text, 'utf8').digest('hex'),
    ),
    { numRuns: 500 },
  );
});

test('bodySHA256: large bodies and non-UTF-8 bytes hash as node:crypto hashes them', async () => {
  const bytes = new Uint8Array(3_000_000);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 131 + 7) & 0xff;
  expect(await web.sha256(bytes, 'hex')).toBe(createHash('sha256').update(bytes).digest('hex'));
  const invalidUtf8 = Uint8Array.from([0xff, 0xfe, 0xc3, 0x28, 0xed, 0xa0, 0x80]);
  expect(await web.sha256(invalidUtf8, 'hex')).toBe(createHash('sha256').update(invalidUtf8).digest('hex'));
});

test('Basic auth: non-Latin-1 passwords and odd base64 (no btoa anywhere on the verifying side)', async () => {
  const options = { username: 'twilio', password: 'pässwörd-密码-😀' };
  const header = (text: string) => ({ authorization: `Basic ${Buffer.from(text, 'utf8').toString('base64')}` });
  expect(await core.checkBasicAuthAsync(header('twilio:pässwörd-密码-😀'), options)).toBe('ok');
  expect(await core.checkBasicAuthAsync(header('twilio:pässwörd-密码-😁'), options)).toBe('wrong-credentials');
  // The header's base64 as the web build reads it: what Buffer reads, or nothing (never more lenient than Node).
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the Node primitives, as the oracle
  const node = require('../src/crypto/node') as typeof import('../src/crypto/node');
  fc.assert(
    fc.property(fc.string({ unit: fc.constantFrom(...'AZaz09+/='.split(''), 'Q', 'w', 'g'), maxLength: 40 }), (odd) => {
      const decoded = web.base64ToUtf8(odd);
      return decoded === '' || decoded === node.base64ToUtf8(odd);
    }),
    { numRuns: 2000 },
  );
  const encoded = Buffer.from('twilio:pässwörd-密码-😀', 'utf8').toString('base64');
  expect(await core.checkBasicAuthAsync({ authorization: `Basic ${encoded.replace(/=+$/, '')}` }, options)).toBe('ok');
  for (const odd of [`=${encoded}`, `${encoded.slice(0, 4)}=${encoded.slice(4)}`, 'A', 'AB', '====', '/+/+']) {
    expect(await core.checkBasicAuthAsync({ authorization: `Basic ${odd}` }, options)).not.toBe('ok');
  }
});

describe('logging where the runtime gives little', () => {
  const realProcess = globalThis.process;
  const realConsole = globalThis.console;
  const token = '0123456789abcdef0123456789abcdef';
  const url = 'https://example.com/sms';

  async function statusWith(globals: { process: unknown; console: unknown }, logger?: import('../src/index').Logger): Promise<number> {
    const handler = core.createWebhookHandler(() => 'ok', { authToken: token, ...(logger ? { logger } : {}) });
    const { signedFormRequest, smsParams } = await import('@twiml-guard/test-support/signed-request.js');
    const forged = signedFormRequest({ token: 'f'.repeat(32), url, params: smsParams() });
    Object.defineProperty(globalThis, 'process', { value: globals.process, configurable: true, writable: true });
    Object.defineProperty(globalThis, 'console', { value: globals.console, configurable: true, writable: true });
    try {
      return (await handler(forged)).status;
    } finally {
      Object.defineProperty(globalThis, 'process', { value: realProcess, configurable: true, writable: true });
      Object.defineProperty(globalThis, 'console', { value: realConsole, configurable: true, writable: true });
    }
  }

  test('no process.stderr and a console without warn/error: a forged request still gets 403', async () => {
    const lines: unknown[] = [];
    await expect(statusWith({ process: { env: {} }, console: { log: (line: unknown) => lines.push(line) } })).resolves.toBe(403);
    expect(lines).toHaveLength(1);
    await expect(statusWith({ process: undefined, console: {} })).resolves.toBe(403);
  });

  test('a logger that throws does not turn a 403 into a rejected promise', async () => {
    const throwing = {
      info: () => undefined,
      warn: () => {
        throw new Error('log sink down');
      },
      error: () => {
        throw new Error('log sink down');
      },
    };
    await expect(statusWith({ process: realProcess, console: realConsole }, throwing)).resolves.toBe(403);
  });

  test('process.stderr.write that throws falls back to console', async () => {
    const lines: unknown[] = [];
    const brokenStderr = {
      write: () => {
        throw new Error('EPIPE');
      },
    };
    await expect(
      statusWith({ process: { env: {}, stderr: brokenStderr }, console: { ...realConsole, warn: (line: unknown) => lines.push(line) } }),
    ).resolves.toBe(403);
    expect(lines).toHaveLength(1);
  });
});

test('a `process` global whose very access throws reads as no environment, and a fully configured webhook still answers', async () => {
  const realProcess = Object.getOwnPropertyDescriptor(globalThis, 'process')!;
  const token = '0123456789abcdef0123456789abcdef';
  const { signedFormRequest, smsParams } = await import('@twiml-guard/test-support/signed-request.js');
  const signed = signedFormRequest({ token, url: 'https://example.com/sms', params: smsParams() });
  const handler = core.createWebhookHandler(() => 'ok', {
    authToken: token,
    logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
  });
  Object.defineProperty(globalThis, 'process', {
    get: () => {
      throw Object.assign(new Error('process is not available'), { name: 'NotCapable' });
    },
    configurable: true,
  });
  let read: string | undefined | Error;
  let status: number;
  try {
    try {
      read = core.readEnv('TWILIO_WEBHOOK_URL');
    } catch (error) {
      read = error as Error;
    }
    status = (await handler({ ...signed, url: 'https://example.com/sms' })).status;
  } finally {
    Object.defineProperty(globalThis, 'process', realProcess);
  }
  expect(read).toBeUndefined();
  expect(status).toBe(200);
});

test('rotationTimingFromEnv() on a runtime with no process, or one denying env reads: the defaults, no throw', () => {
  const realProcess = Object.getOwnPropertyDescriptor(globalThis, 'process')!;
  const denied = {
    env: new Proxy(
      {},
      {
        get: () => {
          throw Object.assign(new Error('Requires env access'), { name: 'NotCapable' });
        },
      },
    ),
  };
  const outcomes: unknown[] = [];
  for (const replacement of [undefined, denied]) {
    Object.defineProperty(globalThis, 'process', { value: replacement, configurable: true, writable: true });
    try {
      outcomes.push(rotation.rotationTimingFromEnv());
    } catch (error) {
      outcomes.push((error as Error).message);
    } finally {
      Object.defineProperty(globalThis, 'process', realProcess);
    }
  }
  expect(outcomes).toEqual([{}, {}]);
  // An explicit environment (a Worker's `env`) is still read.
  expect(rotation.rotationTimingFromEnv({ TWILIO_TOKEN_CACHE_TTL_SECONDS: '30' })).toEqual({ cacheTtlMs: 30_000 });
});

/**
 * What a valid signature does not cover, in the core, as generated cases (fast-check): the same six
 * classes test/hardening/unsigned-input.test.ts drives through every adapter, here with many more
 * runs and with oracles (the `twilio` package for signatures, URLSearchParams for form decoding,
 * Node's `validateHeaderValue` and fetch `Headers` for what a platform can send).
 */
import { validateHeaderName, validateHeaderValue } from 'node:http';
import fc from 'fast-check';
import twilio from 'twilio';
import {
  cachedTokenSource,
  createWebhookHandler,
  parseFormBodyChecked,
  toWebhookResponse,
  validateRequest,
  type AuthTokenOption,
  type TokenSource,
  type WebhookRequest,
} from '@twiml-guard/core';
import { firstHeader, normalizeHeaders, singleHeader } from '@twiml-guard/core/adapter';
import { ambiguousPathReason } from '../src/path-segments.js';
import { accountSid, capturingLogger, signedFormRequest, smsParams, twilioSignature } from '@twiml-guard/test-support';

const TOKEN = 'f00df00df00df00df00df00df00df00d';
const ORIGIN = 'https://hooks.example.com';

async function deliver(request: WebhookRequest, authToken: AuthTokenOption = TOKEN) {
  const logger = capturingLogger();
  const handler = jest.fn(() => '<Response/>');
  const response = await createWebhookHandler(handler, { authToken, logger })(request);
  return { response, handler, logger };
}

// ---------------------------------------------------------------- 1. dot segments and backslashes

const dot = fc.constantFrom('.', '%2e', '%2E');
const dotSegment = fc.oneof(
  dot,
  fc.tuple(dot, dot).map(([first, second]) => first + second),
);
/** A path segment that is not a dot segment: letters, digits, and dots that do not make the whole segment. */
const plainSegment = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9_~-]{1,8}$/),
  fc.constantFrom('...', '.well-known', 'a.', '.a', '%2e%2e%2e', 'x%2Ey', 'v1.2', '%2f'),
);

describe('1. dot segments and backslashes', () => {
  test('generated: a path holding a dot segment anywhere (raw or percent-encoded, any case) is ambiguous', () => {
    fc.assert(
      fc.property(
        fc.array(plainSegment, { maxLength: 3 }),
        dotSegment,
        fc.array(plainSegment, { maxLength: 3 }),
        fc.boolean(),
        (before, segment, after, trailingSlash) => {
          const path = `/${[...before, segment, ...after].join('/')}${trailingSlash ? '/' : ''}`;
          expect(ambiguousPathReason(`${ORIGIN}${path}?a=1`)).toMatch(/"\." or "\.\." segment/);
          expect(ambiguousPathReason(path)).toMatch(/segment/);
        },
      ),
      { numRuns: 500 },
    );
  });

  test('generated: a backslash, raw or %5C, anywhere before the query is ambiguous', () => {
    fc.assert(
      fc.property(
        fc.array(plainSegment, { minLength: 1, maxLength: 4 }),
        fc.constantFrom('\\', '%5c', '%5C'),
        fc.nat(),
        (segments, backslash, at) => {
          const path = segments.join('/');
          const cut = at % (path.length + 1);
          expect(ambiguousPathReason(`${ORIGIN}/${path.slice(0, cut)}${backslash}${path.slice(cut)}`)).toMatch(/backslash/);
        },
      ),
      { numRuns: 300 },
    );
  });

  test('generated: plain paths, and dots or backslashes in the query, are not', () => {
    fc.assert(
      fc.property(
        fc.array(plainSegment, { maxLength: 5 }),
        fc.constantFrom('', '?next=../admin', '?p=a\\b', '?x=%2e%2e'),
        (segments, query) => {
          expect(ambiguousPathReason(`${ORIGIN}/${segments.join('/')}${query}`)).toBeUndefined();
        },
      ),
      { numRuns: 300 },
    );
  });

  test('generated: the pipeline refuses what the drop-in validateRequest accepts, exactly as twilio@6.2.0 does', async () => {
    await fc.assert(
      fc.asyncProperty(dotSegment, fc.constantFrom('/', '\\'), async (segment, separator) => {
        const params = smsParams();
        const signature = twilioSignature(TOKEN, `${ORIGIN}/sms`, params);
        const replayed =
          segment.replace(/%2e/gi, '.') === '..'
            ? `${ORIGIN}/voice${separator}${segment}${separator}sms`
            : `${ORIGIN}${separator}${segment}${separator}sms`;
        // The drop-in keeps twilio's acceptance (its normalised variant resolves the dot segments)...
        expect(validateRequest(TOKEN, signature, replayed, params)).toBe(twilio.validateRequest(TOKEN, signature, replayed, params));
        expect(validateRequest(TOKEN, signature, replayed, params)).toBe(true);
        // ...the pipeline does not.
        const { response, handler, logger } = await deliver({
          ...signedFormRequest({ token: TOKEN, url: `${ORIGIN}/sms`, params }),
          url: replayed,
        });
        expect(response.status).toBe(400);
        expect(handler).not.toHaveBeenCalled();
        expect(logger.at('warn').map((entry) => String(entry.msg))).toEqual([expect.stringMatching(/segment|backslash/)]);
      }),
      { numRuns: 100 },
    );
  });

  test('the path the platform routed is checked too, when the url option fixes the public URL', async () => {
    const params = smsParams();
    const request = { ...signedFormRequest({ token: TOKEN, url: `${ORIGIN}/sms`, params }), url: `${ORIGIN}/admin/%2E%2E/sms` };
    const logger = capturingLogger();
    const response = await createWebhookHandler(() => '<Response/>', { authToken: TOKEN, logger, url: `${ORIGIN}/sms` })(request);
    expect(response.status).toBe(400);
  });
});

// ---------------------------------------------------------------- 2. a GET with a body

describe('2. a GET with a body', () => {
  test('generated: refused (400) whatever the body and its content type; the same GET without one is accepted', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.string({ minLength: 1, maxLength: 30 }), fc.uint8Array({ minLength: 1, maxLength: 30 })),
        fc.constantFrom('application/x-www-form-urlencoded', 'application/json', 'text/plain', undefined),
        fc.constantFrom('GET', 'get', 'Get'),
        async (body, contentType, method) => {
          const signed = signedFormRequest({ token: TOKEN, url: `${ORIGIN}/sms`, params: { Body: 'hi' }, method: 'GET' });
          const headers = { ...signed.headers, ...(contentType ? { 'content-type': contentType } : {}) };
          const refused = await deliver({ ...signed, method, headers, body });
          expect(refused.response.status).toBe(400);
          expect(refused.handler).not.toHaveBeenCalled();
          expect(String(refused.logger.at('warn')[0]?.msg)).toMatch(/GET with a \d+-byte body/);
          expect((await deliver({ ...signed, method })).response.status).toBe(200);
        },
      ),
      { numRuns: 100 },
    );
  });

  test('HEAD and other methods stay 405, body or not', async () => {
    for (const method of ['HEAD', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE', 'CONNECT']) {
      const signed = signedFormRequest({ token: TOKEN, url: `${ORIGIN}/sms`, params: smsParams() });
      expect((await deliver({ ...signed, method })).response.status).toBe(405);
      expect((await deliver({ ...signed, method, body: '' })).response.status).toBe(405);
    }
  });
});

// ---------------------------------------------------------------- 3. byte-identical repeated pairs

/** Pairs from a small alphabet, so keys and values collide often; each spelled raw or percent-encoded. */
const pair = fc.record({
  key: fc.constantFrom('A', 'B', 'a', 'Body'),
  value: fc.constantFrom('', 'x', 'X', 'x y', 'é'),
  percent: fc.boolean(),
});
const spell = (text: string, percent: boolean) =>
  percent
    ? [...Buffer.from(text, 'utf8')].map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`).join('')
    : encodeURIComponent(text).replace(/%20/g, '+');

describe('3. byte-identical repeated pairs', () => {
  test('generated: repeatedPair is set exactly when a decoded key=value pair occurs twice (URLSearchParams as the oracle)', () => {
    fc.assert(
      fc.property(fc.array(pair, { maxLength: 8 }), (pairs) => {
        const body = pairs.map(({ key, value, percent }) => `${spell(key, percent)}=${spell(value, percent)}`).join('&');
        const decoded = [...new URLSearchParams(body)].map(([key, value]) => `${key}\u0000${value}`);
        const repeated = decoded.find((item, index) => decoded.indexOf(item) !== index);
        const parsed = parseFormBodyChecked(body);
        expect(parsed.problems).toEqual([]);
        expect(parsed.repeatedPair).toBe(repeated?.split('\u0000')[0]);
      }),
      { numRuns: 1000 },
    );
  });

  test('generated: the pipeline refuses a repeated pair though twilio accepts the signature; distinct values pass', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('Body', 'From', 'MediaUrl0'),
        fc.integer({ min: 2, max: 4 }),
        fc.boolean(),
        async (key, copies, respell) => {
          const params = smsParams({ MediaUrl0: 'https://example.com/a.jpg' });
          const value = params[key] as string;
          const copy = `${key}=${spell(value, respell)}`;
          const body = `${new URLSearchParams(params as Record<string, string>).toString()}${`&${copy}`.repeat(copies - 1)}`;
          const signature = twilioSignature(TOKEN, `${ORIGIN}/sms`, params);
          expect(twilio.validateRequest(TOKEN, signature, `${ORIGIN}/sms`, { ...params, [key]: Array(copies).fill(value) })).toBe(true);
          const { response, handler, logger } = await deliver(signedFormRequest({ token: TOKEN, url: `${ORIGIN}/sms`, params, body }));
          expect(response.status).toBe(400);
          expect(handler).not.toHaveBeenCalled();
          expect(String(logger.at('warn')[0]?.msg)).toMatch(/repeated byte for byte/);
        },
      ),
      { numRuns: 60 },
    );
    const distinct = smsParams({ MediaUrl0: ['https://example.com/a.jpg', 'https://example.com/b.jpg'] });
    expect((await deliver(signedFormRequest({ token: TOKEN, url: `${ORIGIN}/sms`, params: distinct }))).response.status).toBe(200);
  });
});

// ---------------------------------------------------------------- 4. maps without a prototype

const PROTOTYPE_NAMES = Object.getOwnPropertyNames(Object.prototype);

describe('4. header and parameter maps have no prototype', () => {
  test("generated: normalizeHeaders keeps every name, Object.prototype's included, as an own string or list", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.oneof(fc.constantFrom(...PROTOTYPE_NAMES), fc.stringMatching(/^[a-z-]{1,6}$/)),
            fc.oneof(fc.string({ maxLength: 6 }), fc.array(fc.string({ maxLength: 6 }), { minLength: 1, maxLength: 3 })),
          ),
          { maxLength: 6 },
        ),
        (entries) => {
          const input = Object.create(null) as Record<string, string | string[]>;
          for (const [name, value] of entries) input[name] = value;
          const headers = normalizeHeaders(input);
          expect(Object.getPrototypeOf(headers)).toBeNull();
          for (const name of Object.keys(input)) {
            const own = Object.getOwnPropertyDescriptor(headers, name.toLowerCase())?.value as unknown;
            expect(typeof own === 'string' || (Array.isArray(own) && own.every((item) => typeof item === 'string'))).toBe(true);
          }
          // Pairs (fetch/Azure Headers), the same.
          const fromPairs = normalizeHeaders(entries.map(([name, value]) => [name, String(value)] as [string, string]));
          expect(Object.getPrototypeOf(fromPairs)).toBeNull();
        },
      ),
      { numRuns: 300 },
    );
  });

  test('two __proto__ lines in a multi-value map cannot set the prototype', () => {
    const multiValueHeaders = JSON.parse('{"__proto__":["a","b"],"host":["h"]}') as Record<string, string[]>;
    const headers = normalizeHeaders(multiValueHeaders);
    expect(Object.getPrototypeOf(headers)).toBeNull();
    expect(Object.getOwnPropertyDescriptor(headers, '__proto__')?.value).toEqual(['a', 'b']);
  });

  test.each(PROTOTYPE_NAMES)('header reads never see what Object.prototype holds: %s', (name) => {
    expect(firstHeader({}, name)).toBeUndefined();
    expect(singleHeader({}, name)).toEqual({ ambiguous: false });
  });

  test("a JSON webhook's params are a null-prototype map, and its AccountSid is read as an own property only", async () => {
    const logger = capturingLogger();
    const events: unknown[] = [];
    const handle = createWebhookHandler((event) => void events.push(event), { authToken: TOKEN, logger });
    const { signedJsonRequest } = await import('@twiml-guard/test-support');
    const response = await handle(
      signedJsonRequest({
        token: TOKEN,
        url: `${ORIGIN}/events`,
        json: '{"__proto__":{"AccountSid":"AC00000000000000000000000000000001"},"a":1}',
      }),
    );
    expect(response.status).toBe(200);
    const event = events[0] as { params: object; accountSid?: string };
    expect(Object.getPrototypeOf(event.params)).toBeNull();
    expect(event.accountSid).toBeUndefined();
  });
});

// ---------------------------------------------------------------- 5. token sources

const noToken = fc.oneof(
  fc.constantFrom(undefined, null, '', 0, Number.NaN, true, {}, { value: '' }, { value: 1 }, () => 'x'),
  fc.integer(),
  fc.array(fc.constantFrom(null, undefined, '', 0, {}, { value: null }, [], { value: '' }), { minLength: 1, maxLength: 5 }),
);

describe('5. whatever a token source returns or throws', () => {
  const request = () => signedFormRequest({ token: TOKEN, url: `${ORIGIN}/sms`, params: smsParams() });

  test('generated: nothing usable returned → 500 "no auth token configured", the handler never runs, nothing thrown', async () => {
    await fc.assert(
      fc.asyncProperty(
        noToken,
        fc.constantFrom('function', 'async function', 'one-secret source', 'source', 'static'),
        async (result, shape) => {
          const authToken: AuthTokenOption =
            shape === 'function'
              ? ((() => result) as never)
              : shape === 'async function'
                ? ((async () => result) as never)
                : shape === 'one-secret source'
                  ? ({ perAccount: false, getTokens: () => result } as unknown as TokenSource)
                  : shape === 'source'
                    ? ({ getTokens: async () => result } as unknown as TokenSource)
                    : ((Array.isArray(result) ? result : [result]) as never);
          const { response, handler, logger } = await deliver(request(), authToken);
          expect(response.status).toBe(500);
          expect(handler).not.toHaveBeenCalled();
          expect(logger.at('error').map((entry) => String(entry.msg))).toEqual([expect.stringContaining('no auth token configured')]);
        },
      ),
      { numRuns: 300 },
    );
  });

  test('generated: a source that throws, rejects (with anything) or times out → 503', async () => {
    await fc.assert(
      fc.asyncProperty(fc.anything(), fc.constantFrom('throw', 'reject', 'sync throw in a source', 'timeout'), async (thrown, how) => {
        const authToken: AuthTokenOption =
          how === 'throw'
            ? () => {
                throw thrown;
              }
            : how === 'reject'
              ? () => Promise.reject(thrown as Error)
              : how === 'sync throw in a source'
                ? {
                    getTokens: () => {
                      throw thrown;
                    },
                  }
                : cachedTokenSource({ getTokens: () => new Promise(() => undefined) }, { timeoutMs: 5 });
        const { response, handler } = await deliver(request(), authToken);
        expect(response.status).toBe(503);
        expect(response.headers['retry-after']).toBe('5');
        expect(handler).not.toHaveBeenCalled();
      }),
      { numRuns: 60 },
    );
  });

  test('a refresh that answers garbage or throws is ignored: the first verdict (403) stands', async () => {
    for (const refresh of [
      () => undefined,
      () => 42,
      () => 'x',
      () => {
        throw new Error('x');
      },
      async () => [null],
    ]) {
      const source = { getTokens: () => ['other-token'], refresh } as unknown as TokenSource;
      expect((await deliver(request(), source)).response.status).toBe(403);
    }
  });

  test('an empty list for a named account is that account unknown (403), as before; for no account or a one-secret source, 500', async () => {
    expect(
      (
        await deliver(
          signedFormRequest({ token: TOKEN, url: `${ORIGIN}/sms`, params: smsParams({ AccountSid: accountSid(4) }) }),
          async () => [],
        )
      ).response.status,
    ).toBe(403);
    expect(
      (await deliver(signedFormRequest({ token: TOKEN, url: `${ORIGIN}/sms`, params: { Body: 'no account' } }), async () => [])).response
        .status,
    ).toBe(500);
    expect((await deliver(request(), { perAccount: false, getTokens: () => [] })).response.status).toBe(500);
  });
});

// ---------------------------------------------------------------- 6. response headers

function nodeAccepts(name: string, value: string): boolean {
  try {
    validateHeaderName(name);
    validateHeaderValue(name, value);
    return true;
  } catch {
    return false;
  }
}

function fetchAccepts(name: string, value: string): boolean {
  try {
    new Headers().set(name, value);
    return true;
  } catch {
    return false;
  }
}

describe('6. a response header a platform cannot send', () => {
  test('generated: toWebhookResponse accepts exactly what both Node (setHeader) and fetch (Headers) can send', () => {
    const text = fc.string({
      unit: fc.oneof(
        fc.integer({ min: 0, max: 0x17f }).map((code) => String.fromCharCode(code)),
        fc.constantFrom('Ł', '👋', '\u2028', '\t'),
      ),
      maxLength: 8,
    });
    fc.assert(
      fc.property(fc.oneof(fc.stringMatching(/^[a-z-]{1,8}$/), text), text, (name, value) => {
        const sendable = nodeAccepts(name, value) && fetchAccepts(name, value);
        let accepted = true;
        try {
          toWebhookResponse({ headers: { [name]: value }, body: 'x' });
        } catch (error) {
          expect(error).toBeInstanceOf(TypeError);
          accepted = false;
        }
        expect({ name, value, accepted }).toEqual({ name, value, accepted: sendable });
      }),
      { numRuns: 2000 },
    );
  });

  test('through the pipeline: a logged 500 naming the header, never the value', async () => {
    const logger = capturingLogger();
    const handle = createWebhookHandler(() => ({ headers: { 'x-caller-name': 'Łukasz' } }), { authToken: TOKEN, logger });
    const response = await handle(signedFormRequest({ token: TOKEN, url: `${ORIGIN}/sms`, params: smsParams() }));
    expect(response.status).toBe(500);
    expect(logger.text()).toContain('x-caller-name');
    expect(logger.text()).not.toContain('ukasz');
  });
});

describe('never a throw out of the guard', () => {
  test('a request an adapter built wrong (no method) is a logged 500, not a rejected promise', async () => {
    const logger = capturingLogger();
    const handle = createWebhookHandler(() => '<Response/>', { authToken: TOKEN, logger });
    const response = await handle({
      ...signedFormRequest({ token: TOKEN, url: `${ORIGIN}/sms`, params: smsParams() }),
      method: undefined as unknown as string,
    });
    expect(response.status).toBe(500);
    expect(logger.at('error').map((entry) => String(entry.msg))).toEqual(['rejected webhook: the webhook guard failed unexpectedly']);
  });
});

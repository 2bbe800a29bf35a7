/**
 * Six classes of input a valid signature does not cover, through every adapter's real request path
 * (`twilioWebhook`, `withTwilioSignature`, the Middy middleware), each as generated cases (fast-check):
 *
 * 1. dot segments and backslashes in the path (a capture replayed to another route);
 * 2. a GET with a body (bytes the signature never covered);
 * 3. byte-identical repeated form pairs (the signing de-duplicates them);
 * 4. header and parameter names that shape a map (`__proto__`, `constructor`);
 * 5. whatever a token source returns, throws or fails to answer;
 * 6. a handler's response header a platform cannot send.
 *
 * Signatures come from the `twilio` package (the oracle); the whole-run log scan
 * (packages/test-support/src/log-guard.setup.ts) checks every line these cases log.
 */
import fc from 'fast-check';
import {
  cachedTokenSource,
  type AuthTokenOption,
  type HeaderValue,
  type TokenSource,
  type TwilioWebhookEvent,
  type WebhookOptions,
  type WebhookRequest,
} from '@twiml-guard/core';
import { accountSid, capturingLogger, signedFormRequest, smsParams, type CapturingLogger, type Params } from '@twiml-guard/test-support';
import { CATALOGUE_TOKEN, urlParts } from '@twiml-guard/test-support/hardening/catalogue';
import { PLATFORMS, type AnyHandler, type Delivered, type Platform } from '@twiml-guard/test-support/hardening/platforms';
import { MIDDY_PLATFORMS, WRAPPED_PLATFORMS } from '@twiml-guard/test-support/hardening/wrapped-platforms';

/** Every entry point: twilioWebhook on each platform, withTwilioSignature, and the Middy middleware. */
const ENTRY_POINTS: readonly Platform[] = [...PLATFORMS, ...WRAPPED_PLATFORMS, ...MIDDY_PLATFORMS];
/** The entry points whose handler gets the verified event (withTwilioSignature passes the platform's own request on). */
const VERIFIED_EVENT_ENTRY_POINTS: readonly Platform[] = [...PLATFORMS, ...MIDDY_PLATFORMS];
const isFetch = (platform: Platform) => platform.name.startsWith('fetch');
const isAzure = (platform: Platform) => platform.name.startsWith('azure');
const isRuntime = (platform: Platform) => platform.name.startsWith('twilio-functions');

/** Each property deploys real functions (a Functions Framework server per GCP request): few runs, every platform. */
const RUNS = { numRuns: 12 };

function recordingHandler() {
  const seen: TwilioWebhookEvent[] = [];
  const handler: AnyHandler = (event) => {
    seen.push(event);
    return '<Response/>';
  };
  return { seen, handler };
}

async function deliverOnce(
  platform: Platform,
  handler: AnyHandler,
  options: WebhookOptions,
  request: WebhookRequest,
): Promise<{ response: Delivered; logger: CapturingLogger }> {
  const logger = capturingLogger();
  const response = await platform.deploy(handler, { authToken: CATALOGUE_TOKEN, logger, ...options })(request);
  return { response, logger };
}

/** One refusal: the status, a short plain-text body, the handler never ran, and one log line saying why. */
function expectRefused(
  delivered: { response: Delivered; logger: CapturingLogger },
  seen: readonly unknown[],
  status: number,
  why: RegExp,
): void {
  expect(delivered.response.status).toBe(status);
  expect(seen).toHaveLength(0);
  expect(delivered.response.body.length).toBeLessThan(40);
  const lines = delivered.logger.entries.filter(({ entry }) => entry.status === status);
  expect(lines).toHaveLength(1);
  expect(String(lines[0]?.entry.msg)).toMatch(why);
}

/** A null-prototype header map, so names like `__proto__` are plain keys of the request too. */
function headerMap(...sources: Readonly<Record<string, HeaderValue>>[]): Record<string, string | string[]> {
  const out = Object.create(null) as Record<string, string | string[]>;
  for (const source of sources) {
    for (const name of Object.keys(source)) {
      const value = source[name];
      if (value !== undefined) out[name] = typeof value === 'string' ? value : [...value];
    }
  }
  return out;
}

// ---------------------------------------------------------------- 1. dot segments and backslashes

const dot = fc.constantFrom('.', '%2e', '%2E');
/** `.` or `..`, every spelling: `%2e%2E`, `.%2e`, `%2E.`... */
const dotSegment = fc.oneof(
  dot,
  fc.tuple(dot, dot).map(([first, second]) => first + second),
);
const separator = fc.constantFrom('/', '\\', '%5c', '%5C');

/**
 * A path that resolves to the signed one: `/prod/voice/%2e%2e/sms` for `/prod/sms`, `/voice\..\sms`,
 * `/./sms`. The signature was made for the function's own URL, so only dot-segment resolution matches it.
 */
const replayPath = (publicPath: string) =>
  fc
    .record({ segment: dotSegment, separator, detour: fc.constantFrom('voice', 'admin', 'x') })
    .map(({ segment, separator: sep, detour }) => {
      const cut = publicPath.lastIndexOf('/');
      const directory = publicPath.slice(0, cut);
      const last = publicPath.slice(cut + 1);
      const inserted = segment.replace(/%2e/gi, '.') === '..' ? `${sep}${detour}${sep}${segment}` : `${sep}${segment}`;
      return `${directory}${inserted}${sep === '/' ? '/' : sep}${last}`;
    });

/** Where the platform's own URL parser resolves dot segments before any function code runs. */
function resolvesDotSegmentsItself(platform: Platform): string | undefined {
  if (isFetch(platform)) return 'Request.url is WHATWG-parsed by the runtime: dot segments and backslashes are resolved before the adapter';
  if (isAzure(platform)) return '@azure/functions builds HttpRequest.url with the WHATWG parser: it arrives resolved';
  if (isRuntime(platform))
    return 'the public URL is DOMAIN_NAME + PATH, the function path the Runtime routed by: no request path reaches it';
  return undefined;
}

describe('1. a path with dot segments or a backslash is refused (400): a capture cannot be replayed to another route', () => {
  const carried = ENTRY_POINTS.filter((platform) => resolvesDotSegmentsItself(platform) === undefined);

  test('every platform either carries such a path or resolves it itself (said why)', () => {
    expect(carried.map((platform) => platform.name)).toEqual(
      expect.arrayContaining([
        'aws-lambda rest-v1',
        'aws-lambda alb-multi',
        'aws-lambda http-v2 withTwilioSignature',
        'aws-lambda rest-v1 middy',
        'gcp-functions (gen2, Functions Framework)',
        'gcp-functions withTwilioSignature',
      ]),
    );
    for (const platform of ENTRY_POINTS)
      if (!carried.includes(platform)) expect(resolvesDotSegmentsItself(platform)?.length).toBeGreaterThan(30);
  });

  describe.each(carried.map((platform) => [platform.name, platform] as const))('%s', (_name, platform) => {
    const { origin, path: publicPath } = urlParts(platform.publicUrl);

    test('generated: a signature for the function URL is refused at every dot-segment spelling of it', async () => {
      await fc.assert(
        fc.asyncProperty(replayPath(publicPath), async (path) => {
          const signed = signedFormRequest({ token: CATALOGUE_TOKEN, url: platform.publicUrl, params: smsParams() });
          const { seen, handler } = recordingHandler();
          expectRefused(
            await deliverOnce(platform, handler, {}, { ...signed, url: origin + path }),
            seen,
            400,
            /"\." or "\.\." segment|backslash/,
          );
        }),
        RUNS,
      );
    });

    test('control: the same request at the function URL is accepted', async () => {
      const { seen, handler } = recordingHandler();
      const { response } = await deliverOnce(
        platform,
        handler,
        {},
        signedFormRequest({ token: CATALOGUE_TOKEN, url: platform.publicUrl, params: smsParams() }),
      );
      expect(response.status).toBe(200);
      if (VERIFIED_EVENT_ENTRY_POINTS.includes(platform)) expect(seen).toHaveLength(1);
    });
  });

  test.each(PLATFORMS.filter((platform) => isFetch(platform) || isAzure(platform)).map((platform) => [platform.name, platform] as const))(
    '%s: the platform resolved the path before the adapter, so the handler sees the path the signature covered',
    async (_name, platform) => {
      const { origin, path } = urlParts(platform.publicUrl);
      const cut = path.lastIndexOf('/');
      const { seen, handler } = recordingHandler();
      const signed = signedFormRequest({ token: CATALOGUE_TOKEN, url: platform.publicUrl, params: smsParams() });
      const { response } = await deliverOnce(
        platform,
        handler,
        {},
        { ...signed, url: `${origin}${path.slice(0, cut)}/voice/%2E%2e/${path.slice(cut + 1)}` },
      );
      expect(response.status).toBe(200);
      expect(seen.map((event) => event.url)).toEqual([platform.publicUrl]);
    },
  );

  test('GCP gen1: K_SERVICE=voice and /%2e%2e/sms cannot reach the sms function with the voice signature', async () => {
    const gcp = PLATFORMS.find((platform) => platform.name.startsWith('gcp')) as Platform;
    const saved = { service: process.env.K_SERVICE };
    process.env.K_SERVICE = 'voice';
    try {
      // gen1's default host: the platform strips /voice from the path and the adapter puts it back.
      const host = 'us-central1-my-project.cloudfunctions.net';
      const signed = signedFormRequest({ token: CATALOGUE_TOKEN, url: `https://${host}/sms`, params: smsParams() });
      const { seen, handler } = recordingHandler();
      expectRefused(await deliverOnce(gcp, handler, {}, { ...signed, url: `https://${host}/%2e%2e/sms` }), seen, 400, /segment/);
    } finally {
      if (saved.service === undefined) delete process.env.K_SERVICE;
      else process.env.K_SERVICE = saved.service;
    }
  });
});

// ---------------------------------------------------------------- 2. a GET with a body

/** Why a platform cannot deliver a GET with a body. */
function cannotCarryGetBody(platform: Platform, request: WebhookRequest): string | undefined {
  if (isFetch(platform)) return 'a web-standard Request refuses a body on GET (TypeError in the caller)';
  if (isAzure(platform))
    return '@azure/functions discards the body of a GET before the function runs (the Request constructor forbids one)';
  return platform.cannotCarry(request);
}

describe('2. a GET with a body is refused (400): the verified event holds only what the signature covered', () => {
  const getBody = fc.oneof(
    fc.constant('Body=unsigned'),
    fc.stringMatching(/^[A-Za-z0-9=&%+]{1,40}$/),
    fc.uint8Array({ minLength: 1, maxLength: 32 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
  );
  const contentType = fc.constantFrom('application/x-www-form-urlencoded', 'text/plain', undefined);

  const probe = signedFormRequest({ token: CATALOGUE_TOKEN, url: 'https://x.example/sms', params: { Body: 'hi' }, method: 'GET' });
  const carried = ENTRY_POINTS.filter(
    (platform) => cannotCarryGetBody(platform, { ...probe, url: platform.publicUrl, body: 'x' }) === undefined,
  );

  test('the platforms that can carry one are tested; the others cannot deliver it (said why)', () => {
    expect(carried.map((platform) => platform.name)).toEqual(
      expect.arrayContaining([
        'aws-lambda http-v2',
        'aws-lambda alb-multi',
        'gcp-functions (gen2, Functions Framework)',
        'aws-lambda http-v2 middy',
        'gcp-functions withTwilioSignature',
      ]),
    );
  });

  describe.each(carried.map((platform) => [platform.name, platform] as const))('%s', (_name, platform) => {
    test('generated: a signed GET with any body is refused', async () => {
      await fc.assert(
        fc.asyncProperty(getBody, contentType, async (body, type) => {
          const signed = signedFormRequest({
            token: CATALOGUE_TOKEN,
            url: platform.publicUrl,
            params: { Body: 'signed', From: '+14155550100' },
            method: 'GET',
          });
          const request = { ...signed, body, headers: headerMap(signed.headers, type ? { 'content-type': type } : {}) };
          const { seen, handler } = recordingHandler();
          // Without a form content type the Functions Framework keeps no rawBody: the adapter refuses first (400, its own reason).
          expectRefused(await deliverOnce(platform, handler, {}, request), seen, 400, /GET with a \d+-byte body|rawBody is missing/);
        }),
        RUNS,
      );
    });

    test('control: the same GET without a body is accepted', async () => {
      const { seen, handler } = recordingHandler();
      const signed = signedFormRequest({
        token: CATALOGUE_TOKEN,
        url: platform.publicUrl,
        params: { Body: 'signed', From: '+14155550100' },
        method: 'GET',
      });
      expect((await deliverOnce(platform, handler, {}, signed)).response.status).toBe(200);
      if (VERIFIED_EVENT_ENTRY_POINTS.includes(platform)) expect(seen.map((event) => event.body)).toEqual(['']);
    });
  });
});

// ---------------------------------------------------------------- 3. byte-identical repeated pairs

/** A form layout: the signed pairs, then some of them repeated (same key, same decoded value) at generated places. */
const duplicateLayout = fc
  .record({
    key: fc.constantFrom('Body', 'From', 'To', 'MediaUrl0', 'AccountSid'),
    copies: fc.integer({ min: 1, max: 3 }),
    /** Where each copy goes: an index into the pair list. */
    positions: fc.array(fc.nat(), { minLength: 3, maxLength: 3 }),
    /** The copy spelled another way that decodes to the same bytes (`%78` for `x`, `+` for a space). */
    respell: fc.boolean(),
  })
  .map(({ key, copies, positions, respell }) => {
    const params: Params = { ...smsParams(), Body: 'x y', MediaUrl0: 'https://example.com/a.jpg' };
    const encode = (text: string) => encodeURIComponent(text).replace(/%20/g, '+');
    const pairs = Object.entries(params).map(([name, value]) => `${encode(name)}=${encode(value as string)}`);
    const value = params[key] as string;
    const copy = respell
      ? `${encode(key)}=${[...value].map((ch) => `%${ch.charCodeAt(0).toString(16).padStart(2, '0')}`).join('')}`
      : `${encode(key)}=${encode(value)}`;
    for (let i = 0; i < copies; i++) pairs.splice((positions[i] ?? 0) % (pairs.length + 1), 0, copy);
    return { params, body: pairs.join('&') };
  });

describe('3. a form body with a byte-identical repeated pair is refused (400); different values for one key still work', () => {
  describe.each(ENTRY_POINTS.map((platform) => [platform.name, platform] as const))('%s', (_name, platform) => {
    test('generated: every layout of repeated pairs is refused, though the signature (over the de-duplicated values) is valid', async () => {
      await fc.assert(
        fc.asyncProperty(duplicateLayout, async ({ params, body }) => {
          const { seen, handler } = recordingHandler();
          const request = signedFormRequest({ token: CATALOGUE_TOKEN, url: platform.publicUrl, params, body });
          expectRefused(await deliverOnce(platform, handler, {}, request), seen, 400, /repeated byte for byte/);
        }),
        RUNS,
      );
    });

    test('control: a key with two different signed values reaches the handler as both values', async () => {
      const { seen, handler } = recordingHandler();
      const params = smsParams({ MediaUrl0: ['https://example.com/a.jpg', 'https://example.com/b.jpg'] });
      const { response } = await deliverOnce(
        platform,
        handler,
        {},
        signedFormRequest({ token: CATALOGUE_TOKEN, url: platform.publicUrl, params }),
      );
      expect(response.status).toBe(200);
      if (VERIFIED_EVENT_ENTRY_POINTS.includes(platform))
        expect(seen[0]?.params.MediaUrl0).toEqual(['https://example.com/a.jpg', 'https://example.com/b.jpg']);
    });
  });
});

// ---------------------------------------------------------------- 4. header and parameter names that shape a map

const PROTOTYPE_NAMES = [
  '__proto__',
  'constructor',
  'hasOwnProperty',
  'toString',
  'valueOf',
  'isPrototypeOf',
  '__defineGetter__',
  'propertyIsEnumerable',
];
const headerNames = fc.uniqueArray(fc.oneof(fc.constantFrom(...PROTOTYPE_NAMES), fc.stringMatching(/^x-[a-z]{1,6}$/)), {
  minLength: 1,
  maxLength: 5,
});
const headerValue = fc.stringMatching(/^[A-Za-z0-9]{1,10}$/);

/**
 * Where the platform drops a `__proto__` header line before any function code runs: Node's HTTP parser
 * leaves it out of `req.headers` (GCP), and the Azure worker copies RPC headers into a plain object.
 */
const platformDropsProtoHeader = (platform: Platform) => platform.name.startsWith('gcp') || isAzure(platform);

/** Multi-value Lambda events keep repeated header lines as a list; every other shape folds them into one value. */
const keepsHeaderLists = (platform: Platform) => /rest-v1|http-v1|alb-multi/.test(platform.name);

describe('4. header and parameter maps have no prototype: `__proto__`, `constructor`... are plain values', () => {
  describe.each(ENTRY_POINTS.map((platform) => [platform.name, platform] as const))('%s', (_name, platform) => {
    const verified = VERIFIED_EVENT_ENTRY_POINTS.includes(platform);

    test('generated: header names from Object.prototype arrive as the strings sent', async () => {
      await fc.assert(
        fc.asyncProperty(headerNames, fc.array(headerValue, { minLength: 5, maxLength: 5 }), async (names, values) => {
          const carried = platformDropsProtoHeader(platform) ? names.filter((name) => name !== '__proto__') : names;
          const sent = headerMap(Object.fromEntries(carried.map((name, index) => [name, values[index] as string])));
          const signed = signedFormRequest({ token: CATALOGUE_TOKEN, url: platform.publicUrl, params: smsParams() });
          const { seen, handler } = recordingHandler();
          const { response } = await deliverOnce(platform, handler, {}, { ...signed, headers: headerMap(signed.headers, sent) });
          expect(response.status).toBe(200);
          if (!verified) return;
          const headers = seen[0]?.headers as Record<string, unknown>;
          expect(Object.getPrototypeOf(headers)).toBeNull();
          // Header names arrive lower-cased: `hasOwnProperty` as `hasownproperty`, `__proto__` and `constructor` as they are.
          for (const name of carried) {
            expect(Object.hasOwn(headers, name.toLowerCase())).toBe(true);
            expect(headers[name.toLowerCase()]).toBe(sent[name]);
          }
        }),
        RUNS,
      );
    });

    test('two `__proto__` header lines cannot set the prototype of event.headers', async () => {
      const signed = signedFormRequest({ token: CATALOGUE_TOKEN, url: platform.publicUrl, params: smsParams() });
      const { seen, handler } = recordingHandler();
      const { response } = await deliverOnce(
        platform,
        handler,
        {},
        { ...signed, headers: headerMap(signed.headers, { ['__proto__']: ['first', 'second'], 'x-probe': 'p' }) },
      );
      expect(response.status).toBe(200);
      if (!verified) return;
      const headers = seen[0]?.headers as Record<string, unknown>;
      expect(Object.getPrototypeOf(headers)).toBeNull();
      const value = Object.getOwnPropertyDescriptor(headers, '__proto__')?.value as unknown;
      if (platformDropsProtoHeader(platform)) expect(value).toBeUndefined();
      else if (keepsHeaderLists(platform)) expect(value).toEqual(['first', 'second']);
      else expect(value).toEqual(expect.stringMatching(/^(first(, ?)second|second)$/));
      expect(headers['x-probe']).toBe('p');
    });

    test('form parameters named `__proto__`, `constructor`, `hasOwnProperty` are signed strings in a null-prototype map', async () => {
      const params = smsParams();
      const body = `${Object.entries(params)
        .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value as string)}`)
        .join('&')}&__proto__=p&constructor=c&hasOwnProperty=h`;
      const signedParams = Object.assign(
        Object.create(null) as Params,
        params,
        headerMap({ ['__proto__']: 'p', constructor: 'c', hasOwnProperty: 'h' }),
      );
      const { seen, handler } = recordingHandler();
      const { response } = await deliverOnce(
        platform,
        handler,
        {},
        signedFormRequest({ token: CATALOGUE_TOKEN, url: platform.publicUrl, params: signedParams, body }),
      );
      // The Runtime merges the form into `event` and calls its own parameters PascalCase: lower-case keys still verify (a urlNote says so).
      expect(response.status).toBe(200);
      if (!verified) return;
      const event = seen[0] as TwilioWebhookEvent;
      expect(Object.getPrototypeOf(event.params)).toBeNull();
      expect(Object.getOwnPropertyDescriptor(event.params, '__proto__')?.value).toBe('p');
      expect(event.params.constructor).toBe('c');
      expect(event.params.hasOwnProperty).toBe('h');
    });
  });
});

// ---------------------------------------------------------------- 5. token sources

type TokenCase = { readonly label: string; readonly authToken: () => AuthTokenOption; readonly status: 500 | 503 };

/** What a token source can return that holds no usable token. */
const noToken = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.constant(''),
  fc.integer(),
  fc.boolean(),
  fc.constant({}),
  fc.constant({ value: '' }),
  fc.array(
    fc.oneof(
      fc.constant(null),
      fc.constant(undefined),
      fc.constant(''),
      fc.integer(),
      fc.constant({}),
      fc.constant({ value: 42 }),
      fc.constant([]),
    ),
    { minLength: 1, maxLength: 4 },
  ),
);

/** Each way of returning it: a function (sync or async), a one-secret TokenSource, a TokenSource returning a promise. */
const tokenCase: fc.Arbitrary<TokenCase> = fc.oneof(
  noToken.map((result) => ({
    label: `() => ${JSON.stringify(result)}`,
    authToken: () => (() => result) as unknown as AuthTokenOption,
    status: 500 as const,
  })),
  noToken.map((result) => ({
    label: `async () => ${JSON.stringify(result)}`,
    authToken: () => (async () => result) as unknown as AuthTokenOption,
    status: 500 as const,
  })),
  fc.oneof(noToken, fc.constant([])).map((result) => ({
    label: `one-secret TokenSource returning ${JSON.stringify(result)}`,
    authToken: (): TokenSource => ({ perAccount: false, description: 'custom', getTokens: () => result as never }),
    status: 500 as const,
  })),
  noToken.map((result) => ({
    label: `TokenSource resolving ${JSON.stringify(result)}`,
    authToken: (): TokenSource => ({ getTokens: async () => result as never }),
    status: 500 as const,
  })),
  fc.constantFrom<TokenCase>(
    {
      label: 'a function that throws',
      authToken: () => () => {
        throw new Error('vault client crashed');
      },
      status: 503,
    },
    { label: 'an async function that rejects', authToken: () => async () => Promise.reject(new Error('vault answered 500')), status: 503 },
    { label: 'a rejection that is not an Error', authToken: () => async () => Promise.reject('nope' as unknown as Error), status: 503 },
    {
      label: 'a TokenSource whose getTokens throws synchronously',
      authToken: (): TokenSource => ({
        getTokens: () => {
          throw new TypeError('cannot read properties of undefined');
        },
      }),
      status: 503,
    },
    {
      label: 'a store that never answers (cache timeout)',
      authToken: () => cachedTokenSource({ description: 'hanging', getTokens: () => new Promise(() => undefined) }, { timeoutMs: 20 }),
      status: 503,
    },
  ),
);

describe('5. whatever a token source returns or throws ends in 500 "no auth token configured" or 503, never a throw', () => {
  describe.each(ENTRY_POINTS.map((platform) => [platform.name, platform] as const))('%s', (_name, platform) => {
    test('generated token-source results', async () => {
      await fc.assert(
        fc.asyncProperty(tokenCase, async (tokens) => {
          const { seen, handler } = recordingHandler();
          const request = signedFormRequest({ token: CATALOGUE_TOKEN, url: platform.publicUrl, params: smsParams() });
          const delivered = await deliverOnce(platform, handler, { authToken: tokens.authToken() }, request);
          expectRefused(delivered, seen, tokens.status, tokens.status === 500 ? /no auth token configured/ : /rejected webhook/);
        }),
        RUNS,
      );
    });

    test('control: a list holding garbage and one real token verifies with the real one', async () => {
      const { response } = await deliverOnce(
        platform,
        () => '<Response/>',
        { authToken: async () => [null, '', 42, CATALOGUE_TOKEN] as never },
        signedFormRequest({ token: CATALOGUE_TOKEN, url: platform.publicUrl, params: smsParams() }),
      );
      expect(response.status).toBe(200);
    });
  });

  test('an empty list for a named account is still that account unknown (403), not a deployment mistake', async () => {
    const platform = PLATFORMS[0] as Platform;
    const { seen, handler } = recordingHandler();
    const request = signedFormRequest({
      token: CATALOGUE_TOKEN,
      url: platform.publicUrl,
      params: smsParams({ AccountSid: accountSid(7) }),
    });
    expectRefused(
      await deliverOnce(platform, handler, { authToken: async () => [] }, request),
      seen,
      403,
      /no auth token for this account/,
    );
  });
});

// ---------------------------------------------------------------- 6. response headers a platform cannot send

/** A character no platform sends in a header value: a control character (tab aside), DEL, or above U+00FF. */
const unsendable = fc.oneof(
  fc
    .integer({ min: 0, max: 0x1f })
    .filter((code) => code !== 0x09)
    .map((code) => String.fromCharCode(code)),
  fc.constant('\x7f'),
  fc.integer({ min: 0x100, max: 0xd7ff }).map((code) => String.fromCharCode(code)),
  fc.constantFrom('Ł', '👋', '\u2028'),
);
const badHeader = fc.oneof(
  fc
    .tuple(fc.stringMatching(/^[a-z]{0,4}$/), unsendable, fc.stringMatching(/^[a-z]{0,4}$/))
    .map(([before, bad, after]) => ({ name: 'x-caller-name', value: before + bad + after })),
  fc.constantFrom('bad name', 'x:y', '', 'x-\u00e9', 'x(y)', 'x\ny', 'x"').map((name) => ({ name, value: 'v' })),
);

describe('6. a handler header value or name a platform cannot send is a logged 500 on every adapter', () => {
  describe.each(PLATFORMS.map((platform) => [platform.name, platform] as const))('%s', (_name, platform) => {
    test('generated: unsendable values and names', async () => {
      await fc.assert(
        fc.asyncProperty(badHeader, async ({ name, value }) => {
          const logger = capturingLogger();
          const handler = () => ({ status: 200, headers: { [name]: value }, body: '<Response/>' });
          const request = signedFormRequest({ token: CATALOGUE_TOKEN, url: platform.publicUrl, params: smsParams() });
          const response = await platform.deploy(handler, { authToken: CATALOGUE_TOKEN, logger })(request);
          expect(response.status).toBe(500);
          expect(response.body).toBe('Internal Server Error');
          expect(logger.at('error').map((entry) => entry.msg)).toEqual(['webhook handler threw']);
        }),
        RUNS,
      );
    });

    test('the example from the review: x-caller-name: Łukasz is a 500, not a crash; Lukasz and Latin-1 (Zürich) are sent', async () => {
      const request = signedFormRequest({ token: CATALOGUE_TOKEN, url: platform.publicUrl, params: smsParams() });
      const refused = await platform.deploy(() => ({ headers: { 'x-caller-name': 'Łukasz' }, body: '<Response/>' }), {
        authToken: CATALOGUE_TOKEN,
        logger: capturingLogger(),
      })(request);
      expect(refused.status).toBe(500);
      const sent = await platform.deploy(() => ({ headers: { 'x-caller-name': 'Lukasz', 'x-city': 'Zürich' }, body: '<Response/>' }), {
        authToken: CATALOGUE_TOKEN,
        logger: capturingLogger(),
      })(request);
      expect(sent.status).toBe(200);
      expect(sent.headers['x-caller-name']).toBe('Lukasz');
      // Latin-1 goes out, but platforms put different bytes on the wire for it (Node may write UTF-8): only its presence is the same everywhere.
      expect(sent.headers['x-city']).toMatch(/^Z.+rich$/);
    });
  });
});

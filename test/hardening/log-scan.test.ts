/**
 * docs/design.md rule 5 across every adapter: no auth token, signature, Basic or Digest password (nor a
 * password-equivalent: the Basic credentials, the Digest HA1, an Azure function key in the query)
 * ever appears in what a function writes or answers. Each scenario runs through every platform's
 * real request path twice: with a capturing logger, and with the default logger while everything
 * written to stderr, stdout and the console is captured. Then the whole malformed-input catalogue
 * runs through every platform with the default logger, scanned the same way.
 */
import { createHash } from 'node:crypto';
import {
  createNonce,
  digestResponse,
  TokenStoreUnavailableError,
  type DigestAuthOptions,
  type TokenSource,
  type WebhookOptions,
  type WebhookRequest,
} from '@twiml-guard/core';
import {
  accountSid,
  capturingLogger,
  signedFormRequest,
  signedJsonRequest,
  smsParams,
  twilioSignature,
  type Params,
} from '@twiml-guard/test-support';
import { catalogue, CATALOGUE_TOKEN, controls, headerLines, urlParts } from '@twiml-guard/test-support/hardening/catalogue';
import { PLATFORMS, type Delivered, type Platform } from '@twiml-guard/test-support/hardening/platforms';
import { MIDDY_PLATFORMS, WRAPPED_PLATFORMS } from '@twiml-guard/test-support/hardening/wrapped-platforms';

const CURRENT = 'a11ce0a11ce0a11ce0a11ce0a11ce0a1';
const PENDING = 'b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0';
const FORGER = 'e7e7e7e7e7e7e7e7e7e7e7e7e7e7e7e7';
const BASIC_PASSWORD = 'Basic-Pa55word-never-logged';
const DIGEST_PASSWORD = 'Digest-Pa55word-never-logged';
const URL_PASSWORD = 'url-embedded-Pa55word';
const FUNCTION_KEY = 'AzFunctionKeyNeverLogged0123456789abcdefghij==';
const BASIC = { username: 'twilio', password: BASIC_PASSWORD };
const DIGEST_REALM = 'sms-webhook';
const DIGEST: DigestAuthOptions = { username: 'twilio', password: DIGEST_PASSWORD, realm: DIGEST_REALM };

/** Everything a function wrote: the default logger's stderr lines, stdout, and console calls. */
function captureAllOutput() {
  const chunks: string[] = [];
  const text = (chunk: unknown) => (typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
  const spies = [
    jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => Boolean(chunks.push(text(chunk)))),
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => Boolean(chunks.push(text(chunk)))),
    ...(['log', 'info', 'warn', 'error', 'debug'] as const).map((method) =>
      jest
        .spyOn(console, method)
        .mockImplementation(
          (...args: unknown[]) => void chunks.push(args.map((arg) => (typeof arg === 'string' ? arg : JSON.stringify(arg))).join(' ')),
        ),
    ),
  ];
  return { text: () => chunks.join('\n'), restore: () => spies.forEach((spy) => spy.mockRestore()) };
}

const credentialsOf = (authorization: string) => Buffer.from(authorization.replace(/^Basic\s+/i, ''), 'base64').toString('utf8');

/** The secrets a scan looks for, in every form they could leak in. */
function secretsOf(requests: readonly WebhookRequest[], tokens: readonly string[], passwords: readonly string[], url: string): string[] {
  const secrets = new Set<string>([...tokens, ...passwords]);
  for (const token of tokens) {
    secrets.add(Buffer.from(token).toString('base64'));
    // The signature the function computes for the valid parameters (what a careless diagnostic would print).
    secrets.add(twilioSignature(token, url, smsParams()));
  }
  for (const request of requests) {
    for (const [name, value] of headerLines(request)) {
      if (name === 'x-twilio-signature' && value.trim().length >= 12) {
        secrets.add(value.trim());
        secrets.add(Buffer.from(value.trim(), 'base64').toString('hex'));
      }
      if (name === 'authorization' && /^Basic\s+\S{8,}/i.test(value)) {
        secrets.add(value.replace(/^Basic\s+/i, ''));
        const credentials = credentialsOf(value);
        if (credentials.includes(':') && credentials.length > 8) secrets.add(credentials);
      }
      if (name === 'authorization' && /^Digest /i.test(value)) {
        const response = /response="?([0-9a-f]+)/i.exec(value)?.[1];
        if (response) secrets.add(response);
      }
    }
  }
  // The Digest HA1 is password-equivalent.
  secrets.add(createHash('md5').update(`${DIGEST.username}:${DIGEST_REALM}:${DIGEST_PASSWORD}`).digest('hex'));
  return [...secrets].filter((secret) => secret.length >= 12);
}

function expectNoSecrets(text: string, secrets: readonly string[], where: string): void {
  const leaked = secrets.filter((secret) => text.includes(secret) || text.includes(JSON.stringify(secret).slice(1, -1)));
  expect({ where, leaked }).toEqual({ where, leaked: [] });
}

interface Scenario {
  readonly name: string;
  options(platform: Platform): WebhookOptions;
  requests(platform: Platform): WebhookRequest[];
  readonly tokens: readonly string[];
  readonly passwords: readonly string[];
  readonly handler?: () => string;
  /** A wrapped handler's own errors are the platform's to answer, not the guard's. */
  readonly twilioWebhookOnly?: true;
  /** The statuses the scenario must produce, so a scan of nothing cannot pass. */
  readonly produces: readonly number[];
}

const signed = (token: string, url: string, params: Params = smsParams(), headers: Record<string, string> = {}) =>
  signedFormRequest({ token, url, params, headers });
const withCredentials = (url: string, password: string) => url.replace('://', `://twilio:${password}@`);

function digestAuthorization(platform: Platform, password: string): string {
  const { path } = urlParts(platform.publicUrl);
  const nonce = createNonce(DIGEST);
  const realm = DIGEST_REALM;
  const response = digestResponse({
    algorithm: 'MD5',
    username: 'twilio',
    realm,
    password,
    method: 'POST',
    uri: path,
    nonce,
    nc: '00000001',
    cnonce: 'c0ffee',
  });
  return `Digest username="twilio", realm="${realm}", nonce="${nonce}", uri="${path}", qop=auth, nc=00000001, cnonce="c0ffee", response="${response}", algorithm=MD5`;
}

const failingStore: TokenSource = {
  description: 'test-store',
  getTokens: () => Promise.reject(new TokenStoreUnavailableError('test-store answered 500')),
};

const scenarios: Scenario[] = [
  {
    name: 'rotation: current, pending, forged, wrong URL, missing and duplicate signatures, JSON, GET',
    produces: [200, 400, 403],
    tokens: [CURRENT, PENDING, FORGER],
    passwords: [],
    options: () => ({ authToken: [CURRENT, { value: PENDING, role: 'pending' }] }),
    requests: ({ publicUrl }) => [
      signed(CURRENT, publicUrl),
      signed(PENDING, publicUrl),
      signed(FORGER, publicUrl),
      signedFormRequest({ token: CURRENT, url: publicUrl, signedUrl: publicUrl.replace('https://', 'http://'), params: smsParams() }),
      signedFormRequest({ token: CURRENT, url: publicUrl, signedUrl: `${publicUrl}/other`, params: smsParams() }),
      { ...signed(CURRENT, publicUrl), headers: { 'content-type': 'application/x-www-form-urlencoded' } },
      {
        ...signed(CURRENT, publicUrl),
        headers: {
          ...signed(CURRENT, publicUrl).headers,
          'x-twilio-signature': [twilioSignature(CURRENT, publicUrl, smsParams()), twilioSignature(PENDING, publicUrl, smsParams())],
        },
      },
      signedJsonRequest({ token: CURRENT, url: publicUrl, json: { AccountSid: accountSid(1), Body: 'hi' } }),
      { ...signedJsonRequest({ token: CURRENT, url: publicUrl, json: { Body: 'hi' } }), body: '{"Body":"altered"}' },
      signedFormRequest({ token: CURRENT, url: publicUrl, params: { Body: 'plain' }, method: 'GET' }),
    ],
  },
  {
    name: 'Basic auth: missing, wrong password, right password with a forged signature, right',
    produces: [200, 401, 403],
    tokens: [CURRENT, FORGER],
    passwords: [BASIC_PASSWORD],
    options: () => ({ authToken: CURRENT, basicAuth: BASIC }),
    requests: ({ publicUrl }) => {
      const authorization = (password: string) => `Basic ${Buffer.from(`twilio:${password}`).toString('base64')}`;
      return [
        signed(CURRENT, publicUrl),
        signed(CURRENT, publicUrl, smsParams(), { authorization: authorization(`${BASIC_PASSWORD}-wrong`) }),
        signed(FORGER, publicUrl, smsParams(), { authorization: authorization(BASIC_PASSWORD) }),
        signed(CURRENT, publicUrl, smsParams(), { authorization: authorization(BASIC_PASSWORD) }),
      ];
    },
  },
  {
    name: 'Digest auth: missing, wrong password, right',
    produces: [200, 401],
    tokens: [CURRENT],
    passwords: [DIGEST_PASSWORD],
    options: () => ({ authToken: CURRENT, digestAuth: DIGEST }),
    requests: (platform) => [
      signed(CURRENT, platform.publicUrl),
      signed(CURRENT, platform.publicUrl, smsParams(), { authorization: digestAuthorization(platform, `${DIGEST_PASSWORD}-wrong`) }),
      signed(CURRENT, platform.publicUrl, smsParams(), { authorization: digestAuthorization(platform, DIGEST_PASSWORD) }),
    ],
  },
  {
    name: 'credentials in the url option; a mismatch is diagnosed',
    produces: [200, 403],
    tokens: [CURRENT, FORGER],
    passwords: [URL_PASSWORD],
    options: ({ publicUrl }) => ({ authToken: CURRENT, url: withCredentials(publicUrl, URL_PASSWORD) }),
    requests: ({ publicUrl }) => [
      signed(CURRENT, publicUrl),
      signed(FORGER, publicUrl),
      signedFormRequest({ token: CURRENT, url: publicUrl, signedUrl: `${publicUrl}/x`, params: smsParams() }),
    ],
  },
  {
    name: 'a function key in the query (Azure ?code=); a mismatch is diagnosed',
    produces: [200, 403],
    tokens: [CURRENT, FORGER],
    passwords: [FUNCTION_KEY],
    options: () => ({ authToken: CURRENT }),
    requests: ({ publicUrl }) => {
      const keyed = `${publicUrl}?code=${encodeURIComponent(FUNCTION_KEY)}`;
      return [
        signed(CURRENT, keyed),
        signed(FORGER, keyed),
        signedFormRequest({ token: CURRENT, url: keyed, signedUrl: `${keyed}&x=1`, params: smsParams() }),
      ];
    },
  },
  {
    name: 'token store down (nothing cached)',
    produces: [503],
    tokens: [CURRENT],
    passwords: [],
    options: () => ({ authToken: failingStore }),
    requests: ({ publicUrl }) => [signed(CURRENT, publicUrl), signed(CURRENT, publicUrl)],
  },
  {
    name: 'no token configured anywhere',
    produces: [500],
    tokens: [CURRENT],
    passwords: [],
    options: () => ({}),
    requests: ({ publicUrl }) => [signed(CURRENT, publicUrl)],
  },
  {
    name: 'a signature replayed through dot segments, a form pair repeated byte for byte',
    produces: [200, 400],
    tokens: [CURRENT, FORGER],
    passwords: [],
    options: () => ({ authToken: CURRENT }),
    requests: ({ publicUrl }) => {
      const { origin, path } = urlParts(publicUrl);
      const cut = path.lastIndexOf('/');
      const params = smsParams();
      const repeated = `${Object.entries(params)
        .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`)
        .join('&')}&Body=${encodeURIComponent(String(params.Body))}`;
      return [
        signed(CURRENT, publicUrl),
        { ...signed(CURRENT, publicUrl), url: `${origin}${path.slice(0, cut)}/voice/%2e%2E/${path.slice(cut + 1)}` },
        signedFormRequest({ token: CURRENT, url: publicUrl, params, body: repeated }),
      ];
    },
  },
  {
    name: 'a token source that resolves to nothing (a missing Workers binding)',
    produces: [500],
    tokens: [CURRENT],
    passwords: [],
    options: () => ({ authToken: async () => undefined as unknown as string }),
    requests: ({ publicUrl }) => [signed(CURRENT, publicUrl), signed(CURRENT, publicUrl)],
  },
  {
    name: 'handler throws',
    twilioWebhookOnly: true,
    produces: [500],
    tokens: [CURRENT],
    passwords: [],
    options: () => ({ authToken: CURRENT }),
    handler: () => {
      throw new Error('database unreachable');
    },
    requests: ({ publicUrl }) => [signed(CURRENT, publicUrl)],
  },
  {
    name: 'validate: false with Basic auth (local development)',
    produces: [200, 401],
    tokens: [CURRENT],
    passwords: [BASIC_PASSWORD],
    options: () => ({ validate: false, basicAuth: BASIC }),
    requests: ({ publicUrl }) => [
      signed(CURRENT, publicUrl, smsParams(), { authorization: `Basic ${Buffer.from(`twilio:${BASIC_PASSWORD}`).toString('base64')}` }),
      signed(CURRENT, publicUrl),
    ],
  },
  {
    name: 'duplicate suppression: replay, retry, forged replay',
    produces: [200, 403],
    tokens: [CURRENT, FORGER],
    passwords: [],
    options: () => ({ authToken: CURRENT, dedupe: true }),
    requests: ({ publicUrl }) => {
      const delivery = signed(CURRENT, publicUrl, smsParams(), { 'i-twilio-idempotency-token': 'idem-0001-never-logged-either' });
      return [
        delivery,
        delivery,
        signed(FORGER, publicUrl, smsParams(), { 'i-twilio-idempotency-token': 'idem-0001-never-logged-either' }),
      ];
    },
  },
];

type LoggerMode = 'capturing logger' | 'default logger';
const MODES: readonly LoggerMode[] = ['capturing logger', 'default logger'];

async function run(
  platform: Platform,
  options: WebhookOptions,
  requests: readonly WebhookRequest[],
  mode: LoggerMode,
  handler: () => string,
): Promise<{ output: string; responses: Delivered[] }> {
  const responses: Delivered[] = [];
  if (mode === 'capturing logger') {
    const logger = capturingLogger();
    const deliver = platform.deploy(handler, { ...options, logger });
    for (const request of requests) responses.push(await deliver(request));
    return { output: logger.text(), responses };
  }
  const captured = captureAllOutput();
  try {
    const deliver = platform.deploy(handler, options);
    for (const request of requests) responses.push(await deliver(request));
  } finally {
    captured.restore();
  }
  return { output: captured.text(), responses };
}

describe.each([...PLATFORMS, ...WRAPPED_PLATFORMS, ...MIDDY_PLATFORMS].map((platform) => [platform.name, platform] as const))(
  '%s',
  (_name, platform) => {
    const savedToken = process.env.TWILIO_AUTH_TOKEN;
    beforeAll(() => {
      delete process.env.TWILIO_AUTH_TOKEN;
    });
    afterAll(() => {
      if (savedToken !== undefined) process.env.TWILIO_AUTH_TOKEN = savedToken;
    });

    // A scenario runs where the platform's request shape can carry at least one of its requests.
    const carried = scenarios.filter(
      (scenario) =>
        (!scenario.twilioWebhookOnly || PLATFORMS.includes(platform)) &&
        scenario.requests(platform).some((request) => platform.cannotCarry(request) === undefined),
    );
    const cases = carried.flatMap((scenario) => MODES.map((mode) => [scenario.name, mode, scenario] as const));
    test.each(cases)('%s (%s): nothing secret written or answered', async (_scenario, mode, scenario) => {
      const requests = scenario.requests(platform).filter((request) => platform.cannotCarry(request) === undefined);
      const { output, responses } = await run(
        platform,
        scenario.options(platform),
        requests,
        mode,
        scenario.handler ?? (() => '<Response/>'),
      );
      // The scenario was exercised: it answered what it is about, and something was written.
      expect([...new Set(responses.map((response) => response.status))].sort()).toEqual(expect.arrayContaining([...scenario.produces]));
      expect(output.length).toBeGreaterThan(0);
      const secrets = secretsOf(requests, scenario.tokens, scenario.passwords, platform.publicUrl);
      expectNoSecrets(output, secrets, `${mode} output`);
      expectNoSecrets(responses.map((response) => response.body).join('\n'), secrets, 'response bodies');
    });

    // The catalogue itself runs through both entry points in catalogue-adapters.test.ts; scanned here for twilioWebhook.
    if (!PLATFORMS.includes(platform)) return;
    test('the whole malformed-input catalogue with the default logger: nothing secret written or answered', async () => {
      const entries = catalogue(platform.publicUrl).filter((entry) => platform.cannotCarry(entry.request) === undefined);
      const valid = controls(platform.publicUrl);
      const requests = [...entries.map((entry) => entry.request), valid.basicAuth.request];
      const captured = captureAllOutput();
      const bodies: string[] = [];
      try {
        for (const entry of entries)
          bodies.push((await platform.deploy(() => '<Response/>', { authToken: CATALOGUE_TOKEN, ...entry.options })(entry.request)).body);
      } finally {
        captured.restore();
      }
      const secrets = secretsOf(requests, [CATALOGUE_TOKEN], ['correct horse'], platform.publicUrl);
      expect(
        captured
          .text()
          .split('\n')
          .filter((line) => line.includes('rejected webhook')).length,
      ).toBeGreaterThan(20);
      expectNoSecrets(captured.text(), [...secrets, 'twilio:correct horse'], 'default logger output');
      expectNoSecrets(bodies.join('\n'), secrets, 'response bodies');
    });
  },
);

test('the scan would catch a leak: a logger that prints the signature is flagged', () => {
  const request = signed(CURRENT, 'https://hooks.example.com/sms');
  const secrets = secretsOf([request], [CURRENT], [BASIC_PASSWORD], 'https://hooks.example.com/sms');
  const leakedLine = JSON.stringify({ msg: 'rejected', signature: request.headers['x-twilio-signature'] });
  expect(secrets.filter((secret) => leakedLine.includes(secret))).toHaveLength(1);
  expect(secrets).toEqual(expect.arrayContaining([CURRENT, BASIC_PASSWORD, String(request.headers['x-twilio-signature'])]));
});

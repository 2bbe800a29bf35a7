/**
 * Secret store faults, for every store's token source, through its real SDK (or HTTP API) against
 * a local fake behind a switchable gate, and through the adapter's real request path:
 * - cold start with the store refusing connections, failing (5xx), slower than the source's
 *   timeout, or throttling: 503 with Retry-After, and the request finishes (no hang);
 * - warm: the cached token keeps serving past its TTL while the store fails, up to the stale bound,
 *   then 503;
 * - recovery: the store comes back and the same deployed function (same container) answers 200.
 * The cache's clock is injected, so TTLs and backoffs pass without waiting; only the source's
 * timeout runs in real time.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SSMClient } from '@aws-sdk/client-ssm';
import type { SecretManagerServiceClient } from '@google-cloud/secret-manager';
import { lambdaExtensionTokens, secretsManagerTokens, ssmParameterTokens } from '@twiml-guard/aws-lambda';
import { keyVaultTokens } from '@twiml-guard/azure-functions';
import type { TokenCacheOptions, TokenSource } from '@twiml-guard/core';
import { secretManagerTokens, type SecretVersionReader } from '@twiml-guard/gcp-functions';
import { startAwsJsonFake } from '@twiml-guard/test-support/fakes/aws-json-fake';
import { startKeyVaultFake } from '@twiml-guard/test-support/fakes/key-vault-fake';
import { localKeyVaultClient } from '@twiml-guard/test-support/platforms/azure-secret-client';
import { localSecretManagerClient } from '@twiml-guard/test-support/platforms/gcp-secret-client';
import { fakeSecret, startSecretManagerFake } from '@twiml-guard/test-support/fakes/secret-manager-fake';
import { capturingLogger, signedFormRequest, smsParams } from '@twiml-guard/test-support';
import { startFaultGate, type CannedResponse, type FaultGate, type FaultMode } from '@twiml-guard/test-support/fault-gate';
import { platformNamed, type Platform } from '@twiml-guard/test-support/hardening/platforms';

const TOKEN = 'c0ffeec0ffeec0ffeec0ffeec0ffee00';
/** The source's timeout: a store slower than this is a failure. Short, so the suite stays fast. */
const STORE_TIMEOUT_MS = 500;
/** The test's own bound on one request: the timeout plus a generous margin for SDK retries and a loaded machine. */
const REQUEST_BOUND_MS = STORE_TIMEOUT_MS + 8_000;
const TTL_MS = 60_000;
const MAX_STALE_MS = 10 * 60_000;

/** A clock the cache reads, moved by the test instead of waiting. */
function manualClock() {
  let now = 1_800_000_000_000;
  return { now: () => now, advance: (ms: number) => void (now += ms) };
}

interface RunningStore {
  readonly gate: FaultGate;
  source(cache: TokenCacheOptions): TokenSource;
  close(): Promise<void>;
}

interface StoreKit {
  readonly name: string;
  readonly platform: Platform;
  start(): Promise<RunningStore>;
}

const awsError = (type: string, status: number, message: string): CannedResponse => ({
  status,
  headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': type },
  body: JSON.stringify({ __type: type, message }),
});
const AWS_FAULTS = {
  error: awsError('InternalServiceError', 500, 'An error occurred on the server side.'),
  throttled: awsError('ThrottlingException', 400, 'Rate exceeded'),
};
const AWS_CLIENT = (endpoint: string) => ({
  region: 'us-east-1',
  endpoint,
  credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
});

const secretsManagerKit: StoreKit = {
  name: 'secretsManagerTokens (Secrets Manager, JSON 1.1)',
  platform: platformNamed('aws-lambda http-v2'),
  async start() {
    const fake = await startAwsJsonFake((call) =>
      call.target === 'secretsmanager.GetSecretValue' && call.input.VersionStage === 'AWSCURRENT'
        ? { output: { Name: 'twilio/auth-token', SecretString: TOKEN, VersionStages: ['AWSCURRENT'] } }
        : {
            error: 'ResourceNotFoundException',
            message: "Secrets Manager can't find the specified secret value for staging label: AWSPENDING",
          },
    );
    const gate = await startFaultGate({ target: fake.endpoint, ...AWS_FAULTS });
    const clients: SecretsManagerClient[] = [];
    return {
      gate,
      source: (cache) => {
        const client = new SecretsManagerClient(AWS_CLIENT(gate.url));
        clients.push(client);
        return secretsManagerTokens({ secretId: 'twilio/auth-token', client, cache });
      },
      close: async () => {
        for (const client of clients) client.destroy();
        await gate.close();
        await fake.close();
      },
    };
  },
};

const ssmKit: StoreKit = {
  name: 'ssmParameterTokens (SSM Parameter Store, JSON 1.1)',
  platform: platformNamed('aws-lambda rest-v1'),
  async start() {
    const fake = await startAwsJsonFake((call) =>
      call.target === 'AmazonSSM.GetParameter'
        ? { output: { Parameter: { Name: call.input.Name, Type: 'SecureString', Value: TOKEN, Version: 1 } } }
        : { error: 'UnknownOperationException' },
    );
    const gate = await startFaultGate({ target: fake.endpoint, ...AWS_FAULTS });
    const clients: SSMClient[] = [];
    return {
      gate,
      source: (cache) => {
        const client = new SSMClient(AWS_CLIENT(gate.url));
        clients.push(client);
        return ssmParameterTokens({ name: '/twilio/auth-token', client, cache });
      },
      close: async () => {
        for (const client of clients) client.destroy();
        await gate.close();
        await fake.close();
      },
    };
  },
};

const SESSION_TOKEN = 'lambda-session-token-for-the-extension';

/** The AWS Parameters and Secrets Lambda Extension's HTTP API on localhost. */
async function startExtensionFake(): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((request, response) => {
    const query = new URLSearchParams((request.url ?? '').split('?')[1] ?? '');
    if (request.headers['x-aws-parameters-secrets-token'] !== SESSION_TOKEN) return void response.writeHead(401).end('unauthorized');
    if (query.get('versionStage') !== 'AWSCURRENT')
      return void response
        .writeHead(400)
        .end("ResourceNotFoundException: Secrets Manager can't find the specified secret value for staging label");
    response
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ Name: query.get('secretId'), SecretString: TOKEN, VersionStages: ['AWSCURRENT'] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const extensionKit: StoreKit = {
  name: 'lambdaExtensionTokens (Parameters and Secrets Lambda Extension)',
  platform: platformNamed('aws-lambda function-url'),
  async start() {
    const fake = await startExtensionFake();
    // The extension relays Secrets Manager's errors.
    const gate = await startFaultGate({
      target: fake.url,
      error: { status: 500, body: 'InternalServiceError: An error occurred on the server side.' },
      throttled: { status: 400, body: 'ThrottlingException: Rate exceeded' },
    });
    const savedSessionToken = process.env.AWS_SESSION_TOKEN;
    process.env.AWS_SESSION_TOKEN = SESSION_TOKEN;
    return {
      gate,
      source: (cache) => lambdaExtensionTokens({ secretId: 'twilio/auth-token', port: gate.port, cache }),
      close: async () => {
        if (savedSessionToken === undefined) delete process.env.AWS_SESSION_TOKEN;
        else process.env.AWS_SESSION_TOKEN = savedSessionToken;
        await gate.close();
        await fake.close();
      },
    };
  },
};

const keyVaultKit: StoreKit = {
  name: 'keyVaultTokens (Key Vault, real SecretClient)',
  platform: platformNamed('azure-functions'),
  async start() {
    const fake = await startKeyVaultFake();
    fake.secrets.set('twilio-auth-token', [{ version: 'v1', value: TOKEN, created: 1_700_000_000 }]);
    const errorBody = (code: string, message: string) => JSON.stringify({ error: { code, message } });
    const gate = await startFaultGate({
      target: fake.url,
      error: { status: 500, headers: { 'content-type': 'application/json' }, body: errorBody('InternalServerError', 'the vault failed') },
      // Key Vault's throttling answer: 429 with Retry-After (seconds), which the SDK honours before retrying.
      throttled: {
        status: 429,
        headers: { 'content-type': 'application/json', 'retry-after': '1' },
        body: errorBody('Throttled', 'Request was not processed because too many requests were received.'),
      },
    });
    return {
      gate,
      source: (cache) =>
        keyVaultTokens({
          secretName: 'twilio-auth-token',
          // Shorter network-error backoff than the default 0.8-64 s, so calls the cache gave up on drain before the suite ends. Throttling still honours Retry-After.
          client: localKeyVaultClient(gate.url, { retryDelayInMs: 50, maxRetryDelayInMs: 200 }),
          cache,
        }),
      close: async () => {
        await gate.close();
        await fake.close();
      },
    };
  },
};

const SECRET = 'projects/p/secrets/twilio-auth-token';

const secretManagerKit: StoreKit = {
  name: 'secretManagerTokens (Secret Manager REST, real client)',
  platform: platformNamed('gcp-functions (gen2, Functions Framework)'),
  async start() {
    const fake = await startSecretManagerFake();
    fake.secrets.set(SECRET, fakeSecret(TOKEN));
    const status = (code: number, name: string, message: string): CannedResponse => ({
      status: code,
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ error: { code, message, status: name } }),
    });
    const gate = await startFaultGate({
      target: `http://127.0.0.1:${fake.port}`,
      error: status(500, 'INTERNAL', 'Internal error encountered.'),
      throttled: status(
        429,
        'RESOURCE_EXHAUSTED',
        "Quota exceeded for quota metric 'Access requests' and limit 'Access requests per minute'.",
      ),
    });
    const clients: SecretManagerServiceClient[] = [];
    return {
      gate,
      source: (cache) => {
        const client = localSecretManagerClient(gate.port);
        clients.push(client);
        return secretManagerTokens({ name: SECRET, client: client as unknown as SecretVersionReader, cache });
      },
      close: async () => {
        await gate.close();
        await Promise.all(clients.map((client) => client.close().catch(() => undefined)));
        await fake.close();
      },
    };
  },
};

const KITS: readonly StoreKit[] = [secretsManagerKit, ssmKit, extensionKit, keyVaultKit, secretManagerKit];
const FAULTS: readonly Exclude<FaultMode, 'up'>[] = ['refused', 'error', 'slow', 'throttled'];

/** Fails the test if the request has not finished within `ms`: a hang is a failure, not a timeout of the suite. */
async function finishes<T>(work: Promise<T>, ms = REQUEST_BOUND_MS): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const bound = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`request still running after ${ms} ms: it hangs on the store`)), ms);
  });
  try {
    return await Promise.race([work, bound]);
  } finally {
    clearTimeout(timer);
  }
}

describe.each(KITS.map((kit) => [kit.name, kit] as const))('%s', (_name, kit) => {
  let store: RunningStore;
  beforeEach(async () => {
    store = await kit.start();
  });
  afterEach(async () => {
    await store.close();
  });

  function deployed() {
    const clock = manualClock();
    const handler = jest.fn(() => '<Response/>');
    const logger = capturingLogger();
    const source = store.source({
      ttlMs: TTL_MS,
      maxStaleMs: MAX_STALE_MS,
      timeoutMs: STORE_TIMEOUT_MS,
      errorBackoffMs: 1_000,
      now: clock.now,
    });
    const deliver = kit.platform.deploy(handler, { authToken: source, logger });
    const request = () => signedFormRequest({ token: TOKEN, url: kit.platform.publicUrl, params: smsParams() });
    const call = () => finishes(deliver(request()));
    /**
     * A healthy store must answer within the source's timeout; on a machine loaded by other suites one
     * call may miss it. Recovery is proven by a 200 within three attempts, each after the backoff.
     */
    const served = async () => {
      let response = await call();
      for (let attempt = 1; attempt < 3 && response.status === 503; attempt++) {
        clock.advance(2_000);
        response = await call();
      }
      return response;
    };
    return { clock, handler, logger, call, served };
  }

  test.each(FAULTS.map((fault) => [fault] as const))(
    'cold start, store %s: 503 without hanging; back up: 200 in the same container',
    async (fault) => {
      const { clock, handler, logger, call, served } = deployed();
      await store.gate.setMode(fault);

      const refused = await call();
      expect(refused.status).toBe(503);
      // Twilio (and any client) is told when to come back.
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      expect(handler).not.toHaveBeenCalled();
      const line = logger.at('error').find((entry) => entry.status === 503);
      expect(line?.msg).toMatch(/token store .* unavailable|token lookup failed/);
      expect(logger.text()).not.toContain(TOKEN);

      // Moments later the cache backs off instead of queueing behind a dead store: still a fast 503.
      expect((await call()).status).toBe(503);

      await store.gate.setMode('up');
      clock.advance(2_000);
      expect((await served()).status).toBe(200);
      expect(handler).toHaveBeenCalledTimes(1);
    },
  );

  test.each(FAULTS.map((fault) => [fault] as const))(
    'warm, store %s: the cached token serves past its TTL up to the stale bound, then 503; back up: 200',
    async (fault) => {
      const { clock, handler, call, served } = deployed();
      expect((await served()).status).toBe(200);
      const receivedWarm = store.gate.received;

      await store.gate.setMode(fault);
      // Inside the TTL the store is not even asked.
      clock.advance(TTL_MS / 2);
      expect((await call()).status).toBe(200);
      expect(store.gate.received).toBe(receivedWarm);

      // Past the TTL the store is asked, fails, and the cached token keeps serving.
      clock.advance(TTL_MS);
      expect((await call()).status).toBe(200);
      clock.advance(MAX_STALE_MS / 2);
      expect((await call()).status).toBe(200);

      // Past the stale bound a token the store no longer vouches for is not used: 503.
      clock.advance(MAX_STALE_MS);
      expect((await call()).status).toBe(503);
      expect(handler).toHaveBeenCalledTimes(4);

      await store.gate.setMode('up');
      clock.advance(2_000);
      expect((await served()).status).toBe(200);
      expect(handler).toHaveBeenCalledTimes(5);
    },
  );

  test('cold start, store down: 20 concurrent requests all get 503 and share the store calls (single-flight)', async () => {
    const { handler, call } = deployed();
    await store.gate.setMode('error');
    const results = await Promise.all(Array.from({ length: 20 }, () => call()));
    expect(results.map((result) => result.status)).toEqual(Array(20).fill(503));
    expect(handler).not.toHaveBeenCalled();
    // One flight reads at most a couple of versions, each retried a few times by its SDK: nowhere near one call per request.
    expect(store.gate.received).toBeLessThan(20);
  });
});

describe('the default configuration a Lambda user deploys (environment only, default cache and SDK settings)', () => {
  const saved = { ...process.env };
  let store: RunningStore;
  beforeEach(async () => {
    store = await secretsManagerKit.start();
    // What the function's configuration sets; the SDK finds the endpoint through its documented variable.
    Object.assign(process.env, {
      TWILIO_AUTH_TOKEN_SECRET_ID: 'twilio/auth-token',
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'secret',
      AWS_ENDPOINT_URL_SECRETS_MANAGER: store.gate.url,
      AWS_EC2_METADATA_DISABLED: 'true',
    });
    delete process.env.TWILIO_AUTH_TOKEN;
  });
  afterEach(async () => {
    process.env = { ...saved };
    await store.close();
  });

  const platform = platformNamed('aws-lambda http-v2');
  const request = () => signedFormRequest({ token: TOKEN, url: platform.publicUrl, params: smsParams() });

  test.each([['refused'], ['slow']] as const)(
    'store %s at cold start: 503 within the default 3 s timeout; back up: 200 without a new container',
    async (fault) => {
      const handler = jest.fn(() => '<Response/>');
      const deliver = platform.deploy(handler, { logger: capturingLogger() });
      await store.gate.setMode(fault);
      expect((await finishes(deliver(request()), 3_000 + 8_000)).status).toBe(503);
      expect(handler).not.toHaveBeenCalled();

      await store.gate.setMode('up');
      // The default backoff after a failure is 1 s of real time.
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      let response = await finishes(deliver(request()));
      for (let attempt = 1; attempt < 3 && response.status === 503; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 1_100));
        response = await finishes(deliver(request()));
      }
      expect(response.status).toBe(200);
      expect(handler).toHaveBeenCalledTimes(1);
    },
  );
});

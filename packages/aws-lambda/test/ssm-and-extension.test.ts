/** SSM Parameter Store through the real SDK against a JSON 1.1 fake; the Lambda extension against an HTTP fake. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SSMClient } from '@aws-sdk/client-ssm';
import { lambdaExtensionTokens, ssmParameterTokens, twilioWebhook, type TokenSource } from '@twiml-guard/aws-lambda';
import { FIXTURES, ACCOUNT_SID, type Fixture } from '@twiml-guard/test-support/platforms/lambda-events';
import { FAKE_CLIENT_CONFIG, startAwsJsonFake, type AwsJsonFake, type FakeAnswer } from '@twiml-guard/test-support/fakes/aws-json-fake';
import { AUTH_TOKEN, OTHER_TOKEN, captureLogger, signedEvent } from '@twiml-guard/test-support/platforms/lambda-sign';

const fixture = FIXTURES.find((f) => f.name.startsWith('16')) as Fixture;
const PENDING_TOKEN = 'aaaabbbbccccddddeeeeffff00001111';

function webhook(authToken: TokenSource) {
  const { logs, logger } = captureLogger();
  return { handler: twilioWebhook(() => '<Response/>', { authToken, logger }), logs };
}

describe('ssmParameterTokens', () => {
  let fake: AwsJsonFake;
  let client: SSMClient;
  let value: string | undefined;
  let failing: FakeAnswer | undefined;

  beforeAll(async () => {
    fake = await startAwsJsonFake((call) => {
      if (failing) return failing;
      if (call.target !== 'AmazonSSM.GetParameter') return { error: 'UnknownOperationException' };
      if (call.input.Name !== '/twilio/auth-token' || value === undefined) return { error: 'ParameterNotFound', message: '' };
      const decrypted = call.input.WithDecryption === true;
      return {
        output: { Parameter: { Name: call.input.Name, Type: 'SecureString', Value: decrypted ? value : 'AQICAHh-ciphertext', Version: 3 } },
      };
    });
  });
  afterAll(() => fake.close());
  beforeEach(() => {
    fake.calls.length = 0;
    failing = undefined;
    value = JSON.stringify({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, pendingAuthToken: PENDING_TOKEN });
    client = new SSMClient(FAKE_CLIENT_CONFIG(fake.endpoint));
  });
  afterEach(() => client.destroy());

  test('SecureString read WithDecryption, once for 1 cold + 10 warm requests; the pending token in the payload is accepted', async () => {
    const { handler } = webhook(ssmParameterTokens({ name: '/twilio/auth-token', client }));
    expect((await handler(signedEvent(fixture))).statusCode).toBe(200);
    for (let i = 0; i < 10; i++) expect((await handler(signedEvent(fixture, PENDING_TOKEN))).statusCode).toBe(200);
    expect((await handler(signedEvent(fixture, OTHER_TOKEN))).statusCode).toBe(403);
    // The forged request triggers one rate-limited refresh-on-miss; nothing else reaches the store.
    expect(fake.calls.length).toBeLessThanOrEqual(2);
    expect(fake.calls[0]).toEqual({ target: 'AmazonSSM.GetParameter', input: { Name: '/twilio/auth-token', WithDecryption: true } });
  });

  test('50 concurrent cold requests: one GetParameter', async () => {
    const { handler } = webhook(ssmParameterTokens({ name: '/twilio/auth-token', client }));
    const results = await Promise.all(Array.from({ length: 50 }, () => handler(signedEvent(fixture))));
    expect(new Set(results.map((result) => result.statusCode))).toEqual(new Set([200]));
    expect(fake.calls).toHaveLength(1);
  });

  test('store down: 503 cold; warm and past the TTL, the cached token still works', async () => {
    failing = { error: 'InternalServerError', status: 500 };
    const cold = webhook(ssmParameterTokens({ name: '/twilio/auth-token', client }));
    expect((await cold.handler(signedEvent(fixture))).statusCode).toBe(503);

    failing = undefined;
    let clock = 5_000_000;
    const warm = webhook(ssmParameterTokens({ name: '/twilio/auth-token', client, cache: { ttlMs: 1000, now: () => clock } }));
    expect((await warm.handler(signedEvent(fixture))).statusCode).toBe(200);
    failing = { error: 'ThrottlingException' };
    clock += 10_000;
    expect((await warm.handler(signedEvent(fixture))).statusCode).toBe(200);
  });

  test('slow store: 503 after the cache timeout', async () => {
    failing = { output: {}, delayMs: 20_000 };
    const { handler } = webhook(ssmParameterTokens({ name: '/twilio/auth-token', client, cache: { timeoutMs: 150 } }));
    expect((await handler(signedEvent(fixture))).statusCode).toBe(503);
  });

  test('ParameterNotFound: 500 misconfigured', async () => {
    const { handler, logs } = webhook(ssmParameterTokens({ name: '/nope', client }));
    expect((await handler(signedEvent(fixture))).statusCode).toBe(500);
    expect(String(logs[0]?.entry.msg)).toMatch(/\/nope was not found/);
  });
});

describe('lambdaExtensionTokens', () => {
  let server: Server;
  let port: number;
  const requests: Array<{ url: string; token: string | undefined }> = [];
  let stages: Record<string, string | undefined>;
  let mode: 'ok' | 'down' | 'slow';
  const saved = { ...process.env };

  beforeAll(async () => {
    server = createServer((request, response) => {
      // One request per connection, so no test inherits another's pooled socket.
      response.setHeader('connection', 'close');
      requests.push({ url: request.url ?? '', token: request.headers['x-aws-parameters-secrets-token'] as string | undefined });
      if (mode === 'slow') return; // never answers; closeAllConnections ends it
      if (mode === 'down') {
        response.writeHead(500).end('internal error');
        return;
      }
      if (request.headers['x-aws-parameters-secrets-token'] !== 'session-token-1') {
        response.writeHead(401).end('unauthorized');
        return;
      }
      const query = new URLSearchParams((request.url ?? '').split('?')[1] ?? '');
      const value =
        request.url?.startsWith('/secretsmanager/get?') && query.get('secretId') === 'twilio/auth token'
          ? stages[query.get('versionStage') ?? 'AWSCURRENT']
          : undefined;
      if (value === undefined) {
        response.writeHead(400).end("ResourceNotFoundException: Secrets Manager can't find the specified secret value for staging label");
        return;
      }
      response
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ Name: 'twilio/auth token', SecretString: value, VersionStages: [query.get('versionStage')] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(() => {
    requests.length = 0;
    mode = 'ok';
    stages = { AWSCURRENT: AUTH_TOKEN };
    process.env.PARAMETERS_SECRETS_EXTENSION_HTTP_PORT = String(port);
    process.env.AWS_SESSION_TOKEN = 'session-token-1';
  });
  afterEach(() => {
    process.env = { ...saved };
  });

  test('GET /secretsmanager/get for both stages with the session token header, on the port from the env; cached when warm', async () => {
    const { handler } = webhook(lambdaExtensionTokens({ secretId: 'twilio/auth token' }));
    expect((await handler(signedEvent(fixture))).statusCode).toBe(200);
    for (let i = 0; i < 10; i++) expect((await handler(signedEvent(fixture))).statusCode).toBe(200);
    expect(requests.map((request) => request.url).sort()).toEqual([
      '/secretsmanager/get?secretId=twilio%2Fauth%20token&versionStage=AWSCURRENT',
      '/secretsmanager/get?secretId=twilio%2Fauth%20token&versionStage=AWSPENDING',
    ]);
    expect(requests.every((request) => request.token === 'session-token-1')).toBe(true);
  });

  test('pending stage present: its token is accepted', async () => {
    stages = { AWSCURRENT: AUTH_TOKEN, AWSPENDING: PENDING_TOKEN };
    const { handler } = webhook(lambdaExtensionTokens({ secretId: 'twilio/auth token' }));
    expect((await handler(signedEvent(fixture, PENDING_TOKEN))).statusCode).toBe(200);
  });

  test('50 concurrent cold requests: one call per stage', async () => {
    const { handler } = webhook(lambdaExtensionTokens({ secretId: 'twilio/auth token' }));
    await Promise.all(Array.from({ length: 50 }, () => handler(signedEvent(fixture))));
    expect(requests).toHaveLength(2);
  });

  test('extension failing: 503; extension hanging: 503 after timeoutMs', async () => {
    mode = 'down';
    expect((await webhook(lambdaExtensionTokens({ secretId: 'twilio/auth token' })).handler(signedEvent(fixture))).statusCode).toBe(503);
    mode = 'slow';
    expect(
      (await webhook(lambdaExtensionTokens({ secretId: 'twilio/auth token', timeoutMs: 150 })).handler(signedEvent(fixture))).statusCode,
    ).toBe(503);
  });

  test('warm with the extension down past the TTL: cached token still works', async () => {
    let clock = 9_000_000;
    const { handler } = webhook(lambdaExtensionTokens({ secretId: 'twilio/auth token', cache: { ttlMs: 1000, now: () => clock } }));
    expect((await handler(signedEvent(fixture))).statusCode).toBe(200);
    mode = 'down';
    clock += 5000;
    expect((await handler(signedEvent(fixture))).statusCode).toBe(200);
  });

  test('outside Lambda (no AWS_SESSION_TOKEN): 500 misconfigured, no request made', async () => {
    delete process.env.AWS_SESSION_TOKEN;
    const { handler, logs } = webhook(lambdaExtensionTokens({ secretId: 'twilio/auth token' }));
    expect((await handler(signedEvent(fixture))).statusCode).toBe(500);
    expect(requests).toHaveLength(0);
    expect(String(logs[0]?.entry.msg)).toMatch(/AWS_SESSION_TOKEN/);
  });
});

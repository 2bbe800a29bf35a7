/** Secrets Manager through the real AWS SDK, against a local JSON 1.1 fake of the service. */
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { secretsManagerTokens, twilioWebhook, type AwsLambdaOptions } from '@twiml-guard/aws-lambda';
import { FIXTURES, ACCOUNT_SID, type Fixture } from '@twiml-guard/test-support/platforms/lambda-events';
import {
  FAKE_CLIENT_CONFIG,
  startAwsJsonFake,
  type AwsJsonFake,
  type FakeAnswer,
  type FakeCall,
} from '@twiml-guard/test-support/fakes/aws-json-fake';
import { AUTH_TOKEN, OTHER_TOKEN, captureLogger, signedEvent } from '@twiml-guard/test-support/platforms/lambda-sign';

const fixture = FIXTURES.find((f) => f.name.startsWith('9 ')) as Fixture;
const PENDING_TOKEN = 'aaaabbbbccccddddeeeeffff00001111';
const SECRET_ID = 'twilio/auth-token';

let fake: AwsJsonFake;
let client: SecretsManagerClient;
let versions: Record<string, string | undefined>;
let failing: FakeAnswer | undefined;
let pendingDenied = false;

function secretsManagerAnswer(call: FakeCall): FakeAnswer {
  if (failing) return failing;
  if (call.target !== 'secretsmanager.GetSecretValue') return { error: 'UnknownOperationException' };
  const stage = String(call.input.VersionStage ?? 'AWSCURRENT');
  if (pendingDenied && stage === 'AWSPENDING')
    return { error: 'AccessDeniedException', message: 'not authorized to perform secretsmanager:GetSecretValue (VersionStage condition)' };
  const value = call.input.SecretId === SECRET_ID ? versions[stage] : undefined;
  if (value === undefined)
    return {
      error: 'ResourceNotFoundException',
      message: `Secrets Manager can't find the specified secret value for staging label: ${stage}`,
    };
  return {
    output: {
      ARN: `arn:aws:secretsmanager:us-east-1:123456789012:secret:${SECRET_ID}-AbCdEf`,
      Name: SECRET_ID,
      VersionId: `v-${stage}`,
      SecretString: value,
      VersionStages: [stage],
      CreatedDate: 1795000000,
    },
  };
}

beforeAll(async () => {
  fake = await startAwsJsonFake(secretsManagerAnswer);
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.calls.length = 0;
  failing = undefined;
  pendingDenied = false;
  versions = { AWSCURRENT: AUTH_TOKEN };
  client = new SecretsManagerClient(FAKE_CLIENT_CONFIG(fake.endpoint));
});
afterEach(() => client.destroy());

function webhook(options: Partial<Parameters<typeof secretsManagerTokens>[0]> = {}, extra: AwsLambdaOptions = {}) {
  const { logs, logger } = captureLogger();
  const handler = twilioWebhook(() => '<Response/>', {
    authToken: secretsManagerTokens({ secretId: SECRET_ID, client, ...options }),
    logger,
    ...extra,
  });
  return { handler, logs };
}

const stageCalls = (stage: string) => fake.calls.filter((call) => call.input.VersionStage === stage).length;

test('cold request reads AWSCURRENT and AWSPENDING once; 20 warm invocations make no further calls', async () => {
  const { handler } = webhook();
  expect((await handler(signedEvent(fixture))).statusCode).toBe(200);
  expect(fake.calls.map((call) => [call.target, call.input.SecretId, call.input.VersionStage]).sort()).toEqual([
    ['secretsmanager.GetSecretValue', SECRET_ID, 'AWSCURRENT'],
    ['secretsmanager.GetSecretValue', SECRET_ID, 'AWSPENDING'],
  ]);
  for (let i = 0; i < 20; i++) expect((await handler(signedEvent(fixture))).statusCode).toBe(200);
  expect(fake.calls).toHaveLength(2);
});

test('50 concurrent cold requests share one call per stage (single-flight)', async () => {
  const { handler } = webhook();
  const results = await Promise.all(Array.from({ length: 50 }, () => handler(signedEvent(fixture))));
  expect(results.map((result) => result.statusCode)).toEqual(Array(50).fill(200));
  expect(stageCalls('AWSCURRENT')).toBe(1);
  expect(stageCalls('AWSPENDING')).toBe(1);
});

test('during a rotation the AWSPENDING token (JSON payload) is accepted as well as the current one', async () => {
  versions = {
    AWSCURRENT: JSON.stringify({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN }),
    AWSPENDING: JSON.stringify({ accountSid: ACCOUNT_SID, authToken: PENDING_TOKEN }),
  };
  const { handler } = webhook();
  expect((await handler(signedEvent(fixture, PENDING_TOKEN))).statusCode).toBe(200);
  expect((await handler(signedEvent(fixture, AUTH_TOKEN))).statusCode).toBe(200);
  expect((await handler(signedEvent(fixture, OTHER_TOKEN))).statusCode).toBe(403);
});

test('a JSON secret for another account yields no token: 403', async () => {
  versions = { AWSCURRENT: JSON.stringify({ accountSid: `AC${'f'.repeat(32)}`, authToken: AUTH_TOKEN }) };
  const { handler } = webhook();
  expect((await handler(signedEvent(fixture))).statusCode).toBe(403);
});

test('store down at cold start: 503 with Retry-After, handler never runs', async () => {
  failing = { error: 'InternalServiceError', status: 500, message: 'boom' };
  const { handler, logs } = webhook();
  const result = await handler(signedEvent(fixture));
  expect(result.statusCode).toBe(503);
  expect(result.headers?.['retry-after']).toBe('5');
  expect(logs.some((log) => log.level === 'error' && log.entry.status === 503)).toBe(true);
});

test('store down when warm (TTL expired): the cached token keeps working', async () => {
  let clock = 1_000_000;
  const { handler } = webhook({ cache: { ttlMs: 60_000, now: () => clock } });
  expect((await handler(signedEvent(fixture))).statusCode).toBe(200);
  failing = { error: 'ThrottlingException', message: 'Rate exceeded' };
  clock += 120_000;
  expect((await handler(signedEvent(fixture))).statusCode).toBe(200);
  expect(fake.calls.length).toBeGreaterThan(2);
  // A miss against tokens past their TTL that the store cannot refresh may be a rotation the cache
  // has not seen: 503 (Twilio retries), not 403. The handler never runs either way.
  expect((await handler(signedEvent(fixture, OTHER_TOKEN))).statusCode).toBe(503);
});

test('store slower than the timeout: 503 instead of a hung invocation', async () => {
  failing = { output: {}, delayMs: 20_000 };
  const { handler } = webhook({ cache: { timeoutMs: 200 } });
  expect((await handler(signedEvent(fixture))).statusCode).toBe(503);
});

test('secret missing (ResourceNotFoundException on AWSCURRENT): 500 misconfigured and the log says so', async () => {
  const { handler, logs } = webhook({ secretId: 'does/not/exist' });
  expect((await handler(signedEvent(fixture))).statusCode).toBe(500);
  expect(String(logs.find((log) => log.entry.status === 500)?.entry.msg)).toMatch(/does\/not\/exist was not found/);
});

test('one secret per account: the secretId function gets the AccountSid; an unknown account gets 403', async () => {
  const seen: Array<string | undefined> = [];
  const { handler } = webhook({
    secretId: (accountSid) => {
      seen.push(accountSid);
      return accountSid === ACCOUNT_SID ? SECRET_ID : `twilio/${accountSid}`;
    },
  });
  expect((await handler(signedEvent(fixture))).statusCode).toBe(200);
  expect(seen).toEqual([ACCOUNT_SID]);
  const unknown = webhook({ secretId: (accountSid) => `twilio/${accountSid}` });
  expect((await unknown.handler(signedEvent(fixture))).statusCode).toBe(403);
});

describe('default token source from the environment', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  test('TWILIO_AUTH_TOKEN_SECRET_ID: the SDK client is created on first use (default credentials/endpoint chain)', async () => {
    Object.assign(process.env, {
      TWILIO_AUTH_TOKEN_SECRET_ID: SECRET_ID,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'x',
      AWS_SECRET_ACCESS_KEY: 'y',
      AWS_ENDPOINT_URL_SECRETS_MANAGER: fake.endpoint,
      AWS_MAX_ATTEMPTS: '1',
    });
    delete process.env.TWILIO_AUTH_TOKEN;
    const handler = twilioWebhook(() => '<Response/>', { logger: captureLogger().logger });
    expect(fake.calls).toHaveLength(0);
    expect((await handler(signedEvent(fixture))).statusCode).toBe(200);
    expect(stageCalls('AWSCURRENT')).toBe(1);
  });

  test('without it, TWILIO_AUTH_TOKEN is used and the store is never called', async () => {
    delete process.env.TWILIO_AUTH_TOKEN_SECRET_ID;
    process.env.TWILIO_AUTH_TOKEN = AUTH_TOKEN;
    const handler = twilioWebhook(() => '<Response/>', { logger: captureLogger().logger });
    expect((await handler(signedEvent(fixture))).statusCode).toBe(200);
    expect(fake.calls).toHaveLength(0);
  });
});

test('a policy granting AWSCURRENT only (AccessDenied on AWSPENDING) still serves the current token', async () => {
  pendingDenied = true;
  const { handler } = webhook();
  expect((await handler(signedEvent(fixture))).statusCode).toBe(200);
});

test('AccessDenied on AWSCURRENT is still an outage (503)', async () => {
  failing = { error: 'AccessDeniedException', message: 'not authorized' };
  const { handler } = webhook();
  expect((await handler(signedEvent(fixture))).statusCode).toBe(503);
});

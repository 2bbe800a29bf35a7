/**
 * The Secrets Manager rotation Lambda through the real AWS SDK (against a local Secrets Manager) and
 * the real `twilio` client (against a local fake of Twilio's auth-token API).
 */
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { officialTwilioAuthTokens, secretsManagerRotation, type SecretsManagerRotationOptions } from '@twiml-guard/aws-lambda/rotation';
import { parseRotationSecret } from '@twiml-guard/core/rotation';
import { ACCOUNT_SID, FIRST_TOKEN, collectingLogger, crashesAfterPromote } from '@twiml-guard/test-support/rotation-fixtures';
import { FAKE_CLIENT_CONFIG, startSecretsManagerFake, type SecretsManagerFake } from '@twiml-guard/test-support/fakes/secrets-manager-fake';
import {
  fakeTwilioClientOptions,
  startTwilioAccountsFake,
  type TwilioAccountsFake,
} from '@twiml-guard/test-support/fakes/twilio-accounts-fake';

const SECRET = `twilio/auth-token/${ACCOUNT_SID}`;
const INITIAL = JSON.stringify({
  accountSid: ACCOUNT_SID,
  authToken: FIRST_TOKEN,
  validationUrl: `https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json?PageSize=1`,
});

let store: SecretsManagerFake;
let twilioFake: TwilioAccountsFake;
let client: SecretsManagerClient;
let sleeps: number[];

beforeEach(async () => {
  store = await startSecretsManagerFake(SECRET, INITIAL);
  twilioFake = await startTwilioAccountsFake(ACCOUNT_SID, FIRST_TOKEN);
  client = new SecretsManagerClient(FAKE_CLIENT_CONFIG(store.endpoint));
  sleeps = [];
});
afterEach(async () => {
  client.destroy();
  await Promise.all([store.close(), twilioFake.close()]);
});

function rotation(options: Partial<SecretsManagerRotationOptions> = {}) {
  const { logger, entries } = collectingLogger();
  const handler = secretsManagerRotation({
    client,
    clientOptions: fakeTwilioClientOptions(twilioFake),
    cacheTtlMs: 60_000,
    settleMs: 0,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    logger,
    ...options,
  });
  return { handler, entries };
}

const secretAt = (stage: string) => parseRotationSecret(store.valueAt(stage) ?? '');

async function runSteps(
  handler: ReturnType<typeof rotation>['handler'],
  token: string,
  names = ['createSecret', 'setSecret', 'testSecret', 'finishSecret'],
) {
  for (const Step of names) await handler({ Step, SecretId: store.arn, ClientRequestToken: token });
}

test('the four steps rotate the token at Twilio and move the staging labels', async () => {
  const { handler } = rotation();
  const token = store.startRotation();
  const oldVersion = store.versionAt('AWSCURRENT');

  await handler({ Step: 'createSecret', SecretId: store.arn, ClientRequestToken: token });
  const pending = secretAt('AWSPENDING');
  expect(store.versionAt('AWSPENDING')).toBe(token);
  expect(pending.authToken).toBe(twilioFake.secondary);
  expect(pending.previousAuthToken).toBe(FIRST_TOKEN);
  expect(pending.validationUrl).toContain('/Messages.json');
  expect(twilioFake.primary).toBe(FIRST_TOKEN);
  expect(secretAt('AWSCURRENT').authToken).toBe(FIRST_TOKEN);

  await handler({ Step: 'setSecret', SecretId: store.arn, ClientRequestToken: token });
  expect(twilioFake.primary).toBe(pending.authToken);
  expect(twilioFake.secondary).toBeUndefined();
  // The wait is the webhook cache TTL counted from the pending version's creation.
  expect(sleeps).toHaveLength(1);
  expect(sleeps[0]).toBeGreaterThan(50_000);
  expect(sleeps[0]).toBeLessThanOrEqual(60_000);

  await handler({ Step: 'testSecret', SecretId: store.arn, ClientRequestToken: token });
  expect(store.versionAt('AWSCURRENT')).toBe(oldVersion);

  await handler({ Step: 'finishSecret', SecretId: store.arn, ClientRequestToken: token });
  expect(store.versionAt('AWSCURRENT')).toBe(token);
  expect(store.versionAt('AWSPREVIOUS')).toBe(oldVersion);
  expect(secretAt('AWSCURRENT').authToken).toBe(twilioFake.primary);
  expect(twilioFake.primaries).toEqual([FIRST_TOKEN, pending.authToken]);
  expect(twilioFake.calls.filter((call) => call.startsWith('POST /v1/AuthTokens/'))).toEqual([
    'POST /v1/AuthTokens/Secondary',
    'POST /v1/AuthTokens/Promote',
  ]);
});

test('snake_case step names, each step delivered twice: one secondary, one promotion, same end state', async () => {
  const { handler } = rotation();
  const token = store.startRotation();
  const twice = [
    'create_secret',
    'create_secret',
    'set_secret',
    'set_secret',
    'test_secret',
    'test_secret',
    'finish_secret',
    'finish_secret',
  ];
  await runSteps(handler, token, twice);
  expect(twilioFake.calls.filter((call) => call === 'POST /v1/AuthTokens/Secondary')).toHaveLength(1);
  expect(twilioFake.calls.filter((call) => call === 'POST /v1/AuthTokens/Promote')).toHaveLength(1);
  expect(store.versionAt('AWSCURRENT')).toBe(token);
  expect(secretAt('AWSCURRENT').authToken).toBe(twilioFake.primary);
  expect(twilioFake.primary).not.toBe(FIRST_TOKEN);
});

test('two rotations in a row: each starts from the token the previous one committed', async () => {
  const { handler } = rotation();
  await runSteps(handler, store.startRotation());
  const second = store.startRotation();
  await runSteps(handler, second);
  expect(twilioFake.primaries).toHaveLength(3);
  const current = secretAt('AWSCURRENT');
  expect(current.authToken).toBe(twilioFake.primaries[2]);
  expect(current.previousAuthToken).toBe(twilioFake.primaries[1]);
  expect(store.versionAt('AWSCURRENT')).toBe(second);
});

test('a crash between promote and finishSecret, then Secrets Manager retrying the rotation, ends consistent', async () => {
  const dying = crashesAfterPromote(officialTwilioAuthTokens({ clientOptions: fakeTwilioClientOptions(twilioFake) }));
  const first = rotation({ twilio: dying });
  const token = store.startRotation();
  await first.handler({ Step: 'createSecret', SecretId: store.arn, ClientRequestToken: token });
  await expect(first.handler({ Step: 'setSecret', SecretId: store.arn, ClientRequestToken: token })).rejects.toThrow('process killed');
  expect(dying.crashed).toBe(true);
  // Twilio signs with the new token; the store still names the old one current and the new one pending.
  expect(twilioFake.primary).toBe(secretAt('AWSPENDING').authToken);
  expect(secretAt('AWSCURRENT').authToken).toBe(FIRST_TOKEN);

  const rerun = rotation();
  await runSteps(rerun.handler, token);
  expect(store.versionAt('AWSCURRENT')).toBe(token);
  expect(secretAt('AWSCURRENT').authToken).toBe(twilioFake.primary);
  expect(twilioFake.primaries).toHaveLength(2);
  expect(twilioFake.secondary).toBeUndefined();
  expect(rerun.entries.map((entry) => entry.msg)).toContain('setSecret: already promoted');
});

test('a lost answer to Promote is recognised from Twilio state: the step succeeds', async () => {
  const { handler } = rotation();
  twilioFake.afterPromote = () => {
    throw new Error('connection reset');
  };
  const token = store.startRotation();
  await runSteps(handler, token);
  expect(secretAt('AWSCURRENT').authToken).toBe(twilioFake.primary);
  expect(twilioFake.primaries).toHaveLength(2);
});

test('a crash after Twilio created the secondary but before PutSecretValue: the retry replaces that secondary', async () => {
  const { handler } = rotation();
  const token = store.startRotation();
  // What the crashed attempt left behind: a secondary nobody stored.
  await officialTwilioAuthTokens({ clientOptions: fakeTwilioClientOptions(twilioFake) }).createSecondary({
    accountSid: ACCOUNT_SID,
    authToken: FIRST_TOKEN,
  });
  const orphan = twilioFake.secondary;
  await runSteps(handler, token);
  expect(twilioFake.primary).not.toBe(orphan);
  expect(twilioFake.calls).toContain('DELETE /v1/AuthTokens/Secondary');
  expect(secretAt('AWSCURRENT').authToken).toBe(twilioFake.primary);
});

test('guards: rotation disabled, unknown version, version not pending, unknown step', async () => {
  const { handler } = rotation();
  const token = store.startRotation();
  await expect(handler({ Step: 'rotate', SecretId: store.arn, ClientRequestToken: token })).rejects.toThrow(
    'not a Secrets Manager rotation event',
  );
  await expect(handler({ Step: 'createSecret', SecretId: store.arn, ClientRequestToken: 'no-such-version' })).rejects.toThrow(
    'has no stage',
  );
  const current = store.versionAt('AWSCURRENT') as string;
  await handler({ Step: 'setSecret', SecretId: store.arn, ClientRequestToken: current });
  expect(twilioFake.calls).toEqual([]);
  store.rotationEnabled = false;
  await expect(handler({ Step: 'createSecret', SecretId: store.arn, ClientRequestToken: token })).rejects.toThrow(
    'does not have rotation enabled',
  );
});

test('a stored token Twilio refuses stops the rotation with a message that names no token', async () => {
  twilioFake.primary = 'ffffffffffffffffffffffffffffffff';
  const { handler, entries } = rotation();
  const token = store.startRotation();
  const failure = handler({ Step: 'createSecret', SecretId: store.arn, ClientRequestToken: token });
  await expect(failure).rejects.toThrow('Twilio refuses the AWSCURRENT auth token');
  expect(store.valueAt('AWSPENDING')).toBeUndefined();
  expect(JSON.stringify(entries)).not.toContain(FIRST_TOKEN);
});

test('a RotationToken in the event (assumed-role / cross-account rotation) is passed on to PutSecretValue', async () => {
  const { handler } = rotation();
  const token = store.startRotation();
  await handler({ Step: 'createSecret', SecretId: store.arn, ClientRequestToken: token, RotationToken: 'rotation-token-123' });
  const puts = store.calls.filter((call) => call.target === 'secretsmanager.PutSecretValue');
  const put = puts.find((call) => (call.input as { ClientRequestToken?: string }).ClientRequestToken === token);
  expect(put?.input).toMatchObject({ ClientRequestToken: token, RotationToken: 'rotation-token-123', VersionStages: ['AWSPENDING'] });
  // The claim written before it (a PutSecretValue too) carries it as well.
  for (const call of puts) expect(call.input).toMatchObject({ RotationToken: 'rotation-token-123' });
});

test('the cache wait counts from when the pending token was stored, not from when RotateSecret created the empty version', async () => {
  const { handler } = rotation();
  const token = store.startRotation();
  // createSecret ran (or was retried) ten minutes after RotateSecret created the version.
  (store.versions.get(token) as { created: number }).created = Date.now() - 10 * 60_000;
  await handler({ Step: 'createSecret', SecretId: store.arn, ClientRequestToken: token });
  expect(secretAt('AWSPENDING').pendingAuthTokenStoredAt).toBeDefined();
  await handler({ Step: 'setSecret', SecretId: store.arn, ClientRequestToken: token });
  expect(sleeps).toHaveLength(1);
  expect(sleeps[0]).toBeGreaterThan(50_000);
  expect(sleeps[0]).toBeLessThanOrEqual(60_000);
});

test('the old token stays accepted for the whole grace after the promotion, even when setSecret runs late', async () => {
  let clock = Date.parse('2026-12-01T10:00:00Z');
  const { handler } = rotation({ now: () => clock, sleep: async (ms) => void (clock += ms), previousGraceMs: 15 * 60_000 });
  const token = store.startRotation();
  await handler({ Step: 'createSecret', SecretId: store.arn, ClientRequestToken: token });
  // Secrets Manager retries setSecret a few minutes late (a failed attempt, a throttled invocation).
  clock += 4 * 60_000;
  await handler({ Step: 'setSecret', SecretId: store.arn, ClientRequestToken: token });
  const promotedAt = clock;
  expect(twilioFake.primaries).toHaveLength(2);
  await runSteps(handler, token, ['testSecret', 'finishSecret']);
  const expiresAt = Date.parse(secretAt('AWSCURRENT').previousAuthTokenExpiresAt ?? '');
  expect(expiresAt - promotedAt).toBeGreaterThanOrEqual(15 * 60_000);
});

test('setSecret later than the promotion deadline recorded in the secret does not promote: it abandons the version and says so', async () => {
  let clock = Date.parse('2026-12-01T10:00:00Z');
  const { handler, entries } = rotation({ now: () => clock, sleep: async (ms) => void (clock += ms), previousGraceMs: 15 * 60_000 });
  const token = store.startRotation();
  await handler({ Step: 'createSecret', SecretId: store.arn, ClientRequestToken: token });
  const promoteBy = Date.parse(String(secretAt('AWSPENDING').promoteBy));
  clock = promoteBy + 1;
  await expect(handler({ Step: 'setSecret', SecretId: store.arn, ClientRequestToken: token })).rejects.toThrow('promotion deadline');
  expect(twilioFake.primaries).toHaveLength(1);
  expect(twilioFake.secondary).toBeUndefined();
  expect(store.versionAt('AWSPENDING')).toBeUndefined();
  expect(entries.filter((entry) => entry.msg === 'rotation gave up: it needs a person')).toHaveLength(1);
  // The next rotation starts clean.
  clock = Date.now();
  const { handler: next } = rotation();
  await runSteps(next, store.startRotation());
  expect(twilioFake.primaries).toHaveLength(2);
  expect(secretAt('AWSCURRENT').authToken).toBe(twilioFake.primary);
});

test('concurrent invocations of every step (Lambda retries, duplicate deliveries): one secondary stored, one promotion, the primary always stored', async () => {
  const violations: string[] = [];
  const stored = () =>
    [store.valueAt('AWSCURRENT'), store.valueAt('AWSPENDING')]
      .filter((v): v is string => v !== undefined)
      .flatMap((v) => {
        const secret = parseRotationSecret(v);
        return [secret.authToken, secret.pendingAuthToken, secret.previousAuthToken];
      });
  twilioFake.afterChange = (route) => {
    if (!stored().includes(twilioFake.primary)) violations.push(route);
  };
  const token = store.startRotation();
  for (const Step of ['createSecret', 'setSecret', 'testSecret', 'finishSecret']) {
    const runs = Array.from({ length: 4 }, () =>
      rotation({ cacheTtlMs: 50, sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)), leaseMs: 5_000 }).handler({
        Step,
        SecretId: store.arn,
        ClientRequestToken: token,
      }),
    );
    const results = await Promise.allSettled(runs);
    expect({
      Step,
      failed: results.filter((result) => result.status === 'rejected').map((result) => String((result as PromiseRejectedResult).reason)),
    }).toEqual({ Step, failed: [] });
  }
  expect(twilioFake.calls.filter((call) => call === 'POST /v1/AuthTokens/Secondary')).toHaveLength(1);
  expect(twilioFake.primaries).toHaveLength(2);
  expect(store.versionAt('AWSCURRENT')).toBe(token);
  expect(secretAt('AWSCURRENT').authToken).toBe(twilioFake.primary);
  expect(violations).toEqual([]);
});

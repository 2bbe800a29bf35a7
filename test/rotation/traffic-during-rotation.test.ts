/**
 * Rotations under continuous signed traffic. Several warm "containers" of the aws-lambda webhook
 * (each its own secretsManagerTokens cache with a short TTL) answer requests while the Secrets
 * Manager rotation Lambda rotates the token three times, once with a crash between Promote and
 * finishSecret followed by the retry. Legitimate requests are signed with whatever token the fake
 * Twilio has as primary at the moment they are sent; forged ones with a token Twilio never issued,
 * or with the right token over another URL. Every legitimate request must pass and no forged one.
 */
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { secretsManagerTokens, twilioWebhook } from '@twiml-guard/aws-lambda';
import { officialTwilioAuthTokens, secretsManagerRotation } from '@twiml-guard/aws-lambda/rotation';
import { FIXTURES, type Fixture } from '../../packages/aws-lambda/test/fixtures/events.js';
import { signatureFor, withHeader } from '../../packages/aws-lambda/test/helpers/sign.js';
import { ACCOUNT_SID, FIRST_TOKEN, collectingLogger, crashesAfterPromote } from './support/rotation-fixtures.js';
import { FAKE_CLIENT_CONFIG, startSecretsManagerFake, type SecretsManagerFake } from './support/secrets-manager-fake.js';
import { runSignedTraffic } from './support/signed-traffic.js';
import { fakeTwilioClientOptions, newAuthToken, startTwilioAccountsFake, type TwilioAccountsFake } from './support/twilio-accounts-fake.js';

const fixture = FIXTURES.find((f) => f.name.startsWith('9 ')) as Fixture;
const CACHE_TTL_MS = 1_000;
const CONTAINERS = 4;
const WORKERS = 4;
const MIN_LEGITIMATE = 3_000;
const MAX_REQUESTS = 40_000;

let store: SecretsManagerFake;
let twilioFake: TwilioAccountsFake;
let client: SecretsManagerClient;

beforeAll(async () => {
  store = await startSecretsManagerFake('twilio/auth-token', JSON.stringify({ accountSid: ACCOUNT_SID, authToken: FIRST_TOKEN }));
  twilioFake = await startTwilioAccountsFake(ACCOUNT_SID, FIRST_TOKEN);
  client = new SecretsManagerClient(FAKE_CLIENT_CONFIG(store.endpoint));
});
afterAll(async () => {
  client.destroy();
  await Promise.all([store.close(), twilioFake.close()]);
});

test('three rotations (one crashing after Promote) under signed traffic: 0 legitimate requests refused, 0 forged accepted', async () => {
  const webhookLogs = collectingLogger();
  const containers = Array.from({ length: CONTAINERS }, () =>
    twilioWebhook(() => '<Response><Message>ok</Message></Response>', {
      authToken: secretsManagerTokens({ secretId: store.name, client, cache: { ttlMs: CACHE_TTL_MS, minRefreshIntervalMs: 60_000 } }),
      logger: webhookLogs.logger,
    }),
  );
  const clientOptions = fakeTwilioClientOptions(twilioFake);
  const timing = { client, clientOptions, cacheTtlMs: CACHE_TTL_MS, settleMs: 100, logger: collectingLogger().logger };
  const rotation = secretsManagerRotation(timing);
  const steps = ['createSecret', 'setSecret', 'testSecret', 'finishSecret'];

  const rotator = (async () => {
    await new Promise((resolve) => setTimeout(resolve, 50));
    // 1: a clean rotation.
    const first = store.startRotation();
    for (const Step of steps) await rotation({ Step, SecretId: store.arn, ClientRequestToken: first });
    // 2: the function dies right after Promote; Secrets Manager retries the whole rotation.
    const second = store.startRotation();
    const dying = secretsManagerRotation({ ...timing, twilio: crashesAfterPromote(officialTwilioAuthTokens({ clientOptions })) });
    await dying({ Step: 'createSecret', SecretId: store.arn, ClientRequestToken: second });
    await expect(dying({ Step: 'setSecret', SecretId: store.arn, ClientRequestToken: second })).rejects.toThrow('process killed');
    await new Promise((resolve) => setTimeout(resolve, 100));
    for (const Step of steps) await rotation({ Step, SecretId: store.arn, ClientRequestToken: second });
    // 3: snake_case step names.
    const third = store.startRotation();
    for (const Step of ['create_secret', 'set_secret', 'test_secret', 'finish_secret']) await rotation({ Step, SecretId: store.arn, ClientRequestToken: third });
  })();
  let rotating = true;
  const rotationDone = rotator.finally(() => {
    rotating = false;
  });

  const tally = { legitimate: 0, legitimateRefused: 0, forged: 0, forgedAccepted: 0, afterRotation: 0 };
  const signedWith = new Map<string, number>();
  const refusedStatuses: number[] = [];
  let sent = 0;

  const worker = async (id: number) => {
    // Traffic runs as long as the rotation does (so every promoted token carries some), then until the minimums.
    while (rotating || (sent < MAX_REQUESTS && (tally.legitimate < MIN_LEGITIMATE || tally.afterRotation < 200))) {
      const n = sent++;
      const container = containers[(n + id) % CONTAINERS] as (typeof containers)[number];
      const forgery = n % 10 === 9 ? (n % 20 === 19 ? 'unknown-token' : 'other-url') : undefined;
      // Read Twilio's primary at send time, as Twilio does when it signs.
      const token = forgery === 'unknown-token' ? newAuthToken() : twilioFake.primary;
      const signature = forgery === 'other-url' ? signatureFor(fixture, token, `${fixture.trueUrl}?forged=1`) : signatureFor(fixture, token);
      const result = (await container(withHeader(fixture.event, fixture.signatureHeader, signature) as never, {} as never)) as { statusCode: number };
      if (forgery) {
        tally.forged++;
        if (result.statusCode < 400) tally.forgedAccepted++;
      } else {
        tally.legitimate++;
        if (!rotating) tally.afterRotation++;
        signedWith.set(token, (signedWith.get(token) ?? 0) + 1);
        if (result.statusCode !== 200) {
          tally.legitimateRefused++;
          refusedStatuses.push(result.statusCode);
        }
      }
      // Let the rotation's own I/O interleave with the traffic.
      if (n % 2 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
  };
  await Promise.all([rotationDone, ...Array.from({ length: WORKERS }, (_, id) => worker(id))]);

  expect(twilioFake.primaries).toHaveLength(4);
  expect(JSON.parse(store.valueAt('AWSCURRENT') ?? '{}').authToken).toBe(twilioFake.primary);
  expect({ refused: tally.legitimateRefused, statuses: [...new Set(refusedStatuses)] }).toEqual({ refused: 0, statuses: [] });
  expect(tally.forgedAccepted).toBe(0);
  expect(tally.legitimate).toBeGreaterThanOrEqual(MIN_LEGITIMATE);
  expect(tally.forged).toBeGreaterThan(300);
  // The traffic really crossed every promotion: each token Twilio signed with carried requests.
  for (const primary of twilioFake.primaries) expect(signedWith.get(primary) ?? 0).toBeGreaterThan(0);
  // eslint-disable-next-line no-console
  console.log(`traffic during rotation: ${tally.legitimate} legitimate (${[...signedWith.values()].join('/')} per token), ${tally.forged} forged`);
});

test('rotations crashing after every state change (each store write and each Twilio change), each step run by three concurrent invocations, under signed traffic: 0 legitimate refused, 0 forged accepted, one promotion per rotation', async () => {
  const containers = Array.from({ length: CONTAINERS }, () =>
    twilioWebhook(() => '<Response/>', {
      authToken: secretsManagerTokens({ secretId: store.name, client, cache: { ttlMs: CACHE_TTL_MS, minRefreshIntervalMs: 60_000 } }),
      logger: collectingLogger().logger,
    }),
  );
  const clientOptions = fakeTwilioClientOptions(twilioFake);
  const base = { clientOptions, cacheTtlMs: CACHE_TTL_MS, settleMs: 100, leaseMs: 2_000, logger: collectingLogger().logger };
  const steps = ['createSecret', 'setSecret', 'testSecret', 'finishSecret'];
  const isWrite = (command: unknown) => /PutSecretValue|UpdateSecretVersionStage/.test((command as object).constructor.name);
  const killed = () => Object.assign(new Error('process killed'), { name: 'Killed' });

  /** One invocation whose process dies right after the `killAt`-th state change it causes (0: never). */
  const invocation = (killAt: number) => {
    let changes = 0;
    let dead = false;
    const change = () => {
      if (++changes === killAt) dead = true;
    };
    const crashingClient = {
      send: async (command: unknown) => {
        if (dead) throw killed();
        const output = await client.send(command as never);
        if (isWrite(command)) change();
        if (dead) throw killed();
        return output;
      },
    };
    const twilioApi = officialTwilioAuthTokens({ clientOptions });
    const alive = <A extends unknown[], R>(call: (...args: A) => Promise<R>, changes: boolean) => async (...args: A): Promise<R> => {
      if (dead) throw killed();
      const result = await call(...args);
      if (changes) change();
      if (dead) throw killed();
      return result;
    };
    const twilio = {
      createSecondary: alive((c) => twilioApi.createSecondary(c), true),
      promote: alive((c) => twilioApi.promote(c), true),
      deleteSecondary: alive(async (c) => twilioApi.deleteSecondary(c), false),
      authenticates: alive((c) => twilioApi.authenticates(c), false),
    };
    return secretsManagerRotation({ ...base, client: crashingClient as never, twilio });
  };

  const rotations: { killAt: number; promotions: number }[] = [];
  const traffic = await runSignedTraffic({
    twilio: twilioFake,
    send: async (n, signature) => {
      const container = containers[n % CONTAINERS] as (typeof containers)[number];
      return ((await container(withHeader(fixture.event, fixture.signatureHeader, signature) as never, {} as never)) as { statusCode: number }).statusCode;
    },
    sign: (token, forgedUrl) => (forgedUrl ? signatureFor(fixture, token, `${fixture.trueUrl}?forged=1`) : signatureFor(fixture, token)),
    rotate: async () => {
      // A clean rotation has 5 state changes in the invocations' view: claim, secondary, pending version, Promote, AWSCURRENT.
      for (let killAt = 1; killAt <= 6; killAt++) {
        const before = twilioFake.primaries.length;
        const token = store.startRotation();
        // The first attempt: each step by three concurrent invocations, one of which dies at its killAt-th change.
        let failed = false;
        for (const Step of steps) {
          const results = await Promise.allSettled([invocation(killAt), invocation(0), invocation(0)].map((handler) => handler({ Step, SecretId: store.arn, ClientRequestToken: token })));
          if (results.some((result) => result.status === 'rejected')) {
            failed = true;
            break;
          }
        }
        // Secrets Manager retries the whole rotation after a failed step.
        if (failed || store.versionAt('AWSCURRENT') !== token) {
          for (const Step of steps) await invocation(0)({ Step, SecretId: store.arn, ClientRequestToken: token });
        }
        expect(store.versionAt('AWSCURRENT')).toBe(token);
        rotations.push({ killAt, promotions: twilioFake.primaries.length - before });
      }
    },
  });

  expect(rotations.map((rotation) => rotation.promotions)).toEqual([1, 1, 1, 1, 1, 1]);
  expect(JSON.parse(store.valueAt('AWSCURRENT') ?? '{}').authToken).toBe(twilioFake.primary);
  expect({ refused: traffic.legitimateRefused, statuses: traffic.refusedStatuses }).toEqual({ refused: 0, statuses: [] });
  expect(traffic.forgedAccepted).toBe(0);
  expect(traffic.legitimate).toBeGreaterThanOrEqual(MIN_LEGITIMATE);
  for (const primary of twilioFake.primaries.slice(-6)) expect(traffic.signedWith.get(primary) ?? 0).toBeGreaterThan(0);
  // eslint-disable-next-line no-console
  console.log(`crashes + concurrency on AWS: ${traffic.legitimate} legitimate, ${traffic.forged} forged`);
}, 120_000);

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
import { FIXTURES, type Fixture } from '@twiml-guard/test-support/platforms/lambda-events';
import { signatureFor, withHeader } from '@twiml-guard/test-support/platforms/lambda-sign';
import { ACCOUNT_SID, FIRST_TOKEN, collectingLogger, crashesAfterPromote } from '@twiml-guard/test-support/rotation-fixtures';
import { FAKE_CLIENT_CONFIG, startSecretsManagerFake, type SecretsManagerFake } from '@twiml-guard/test-support/fakes/secrets-manager-fake';
import { runSignedTraffic } from '@twiml-guard/test-support/signed-traffic';
import * as functions from '@google-cloud/functions-framework';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import { keyVaultTokens, twilioWebhook as azureWebhook, type KeyVaultSecretReader } from '@twiml-guard/azure-functions';
import {
  keyVaultRotation,
  keyVaultRotationTimer,
  officialTwilioAuthTokens as azureTwilio,
  type KeyVaultSecretWriter,
} from '@twiml-guard/azure-functions/rotation';
import { secretManagerTokens, twilioWebhook as gcpWebhook, type SecretVersionReader } from '@twiml-guard/gcp-functions';
import { secretManagerRotation, type SecretVersionWriter } from '@twiml-guard/gcp-functions/rotation';
import { parseRotationSecret } from '@twiml-guard/core/rotation';
import {
  FORM as AZURE_FORM,
  hostRequest,
  invocationContext,
  sign as azureSign,
  smsForm as azureSmsForm,
} from '@twiml-guard/test-support/platforms/azure-host';
import {
  FORM as GCP_FORM,
  listen,
  send as gcpSend,
  sign as gcpSign,
  smsForm as gcpSmsForm,
} from '@twiml-guard/test-support/platforms/gcp-http-client';
import { crashingTwilio, fault, guarded, type Fault } from '@twiml-guard/test-support/fault-injection';
import { localKeyVaultClient } from '@twiml-guard/test-support/platforms/azure-secret-client';
import { localSecretManagerClient } from '@twiml-guard/test-support/platforms/gcp-secret-client';
import { numberForm, startGcpSecretManagerFake } from '@twiml-guard/test-support/fakes/secret-manager-fake';
import { startKeyVaultRotationFake } from '@twiml-guard/test-support/fakes/key-vault-fake';
import {
  fakeTwilioClientOptions,
  newAuthToken,
  startTwilioAccountsFake,
  type TwilioAccountsFake,
} from '@twiml-guard/test-support/fakes/twilio-accounts-fake';

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
    for (const Step of ['create_secret', 'set_secret', 'test_secret', 'finish_secret'])
      await rotation({ Step, SecretId: store.arn, ClientRequestToken: third });
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
      const signature =
        forgery === 'other-url' ? signatureFor(fixture, token, `${fixture.trueUrl}?forged=1`) : signatureFor(fixture, token);
      const result = (await container(withHeader(fixture.event, fixture.signatureHeader, signature) as never, {} as never)) as {
        statusCode: number;
      };
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
  console.log(
    `traffic during rotation: ${tally.legitimate} legitimate (${[...signedWith.values()].join('/')} per token), ${tally.forged} forged`,
  );
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

  /** One invocation whose process dies right after the `killAt`-th state change it causes (0: never). */
  const invocation = (killAt: number) => {
    const state = fault(killAt);
    const crashingClient = { send: (command: unknown) => guarded(state, isWrite(command), () => client.send(command as never)) };
    return secretsManagerRotation({
      ...base,
      client: crashingClient as never,
      twilio: crashingTwilio(officialTwilioAuthTokens({ clientOptions }), state),
    });
  };

  const rotations: { killAt: number; promotions: number }[] = [];
  const traffic = await runSignedTraffic({
    twilio: twilioFake,
    send: async (n, signature) => {
      const container = containers[n % CONTAINERS] as (typeof containers)[number];
      return (
        (await container(withHeader(fixture.event, fixture.signatureHeader, signature) as never, {} as never)) as { statusCode: number }
      ).statusCode;
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
          const results = await Promise.allSettled(
            [invocation(killAt), invocation(0), invocation(0)].map((handler) =>
              handler({ Step, SecretId: store.arn, ClientRequestToken: token }),
            ),
          );
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

/** After every change at Twilio: the primary must be among the tokens the store's latest value holds. */
function watchPrimaryStored(latest: () => string | undefined): string[] {
  const violations: string[] = [];
  twilioFake.afterChange = (route) => {
    const secret = parseRotationSecret(latest() ?? '');
    if (![secret.authToken, secret.pendingAuthToken, secret.previousAuthToken].includes(twilioFake.primary)) violations.push(route);
  };
  return violations;
}

test('GCP: rotations crashing after every state change, each delivery of SECRET_ROTATE three times at once, under signed traffic: 0 refused, 0 forged accepted, one promotion each', async () => {
  const SECRET = 'projects/demo/secrets/twilio-auth-token';
  await twilioFake.close();
  twilioFake = await startTwilioAccountsFake(ACCOUNT_SID, FIRST_TOKEN);
  const gcpStore = await startGcpSecretManagerFake(SECRET, JSON.stringify({ accountSid: ACCOUNT_SID, authToken: FIRST_TOKEN }));
  const secretClient = () => localSecretManagerClient(gcpStore.port) as unknown as Required<SecretVersionWriter>;
  const HOST = 'sms-abc123def-uc.a.run.app';
  const servers: { port: number; close: () => Promise<void> }[] = [];
  for (let i = 0; i < 3; i++) {
    const name = `trafficCrashGcp${i}`;
    functions.http(
      name,
      gcpWebhook(() => '<Response/>', {
        authToken: secretManagerTokens({
          name: SECRET,
          client: secretClient() as unknown as SecretVersionReader,
          cache: { ttlMs: 500, minRefreshIntervalMs: 60_000 },
        }),
        logger: collectingLogger().logger,
      }),
    );
    servers.push(await listen(getTestServer(name)));
  }
  const violations = watchPrimaryStored(() => gcpStore.latest());
  const real = secretClient();
  const clientOptions = fakeTwilioClientOptions(twilioFake);
  const delivery = (state: Fault) => {
    const client: SecretVersionWriter = {
      accessSecretVersion: (request) => guarded(state, false, () => real.accessSecretVersion(request)),
      addSecretVersion: (request) => guarded(state, true, () => real.addSecretVersion(request)),
      getSecret: (request) => guarded(state, false, () => real.getSecret(request)),
      updateSecret: (request) => guarded(state, true, () => real.updateSecret(request)),
    };
    return secretManagerRotation({
      name: SECRET,
      client,
      twilio: crashingTwilio(officialTwilioAuthTokens({ clientOptions }), state),
      cacheTtlMs: 500,
      settleMs: 100,
      leaseMs: 1_500,
      logger: collectingLogger().logger,
    });
  };
  const form = gcpSmsForm('traffic');
  const promotions: number[] = [];
  try {
    const traffic = await runSignedTraffic({
      twilio: twilioFake,
      minimumLegitimate: 1_500,
      send: async (n, signature) =>
        (
          await gcpSend((servers[n % servers.length] as { port: number }).port, {
            host: HOST,
            path: '/',
            headers: { ...GCP_FORM, 'x-twilio-signature': signature },
            body: form.body,
          })
        ).status,
      sign: (token, forgedUrl) => gcpSign(forgedUrl ? `https://${HOST}/?forged=1` : `https://${HOST}/`, form.params, token),
      rotate: async () => {
        // A clean rotation changes state 7 times: lease, secondary, pending version, lease, Promote, lease, committed version (+ release).
        for (let killAt = 1; killAt <= 8; killAt++) {
          const before = twilioFake.primaries.length;
          const event = {
            data: { message: { attributes: { eventType: 'SECRET_ROTATE', secretId: numberForm(SECRET) }, messageId: `crash-${killAt}` } },
          };
          // Pub/Sub redelivers until one delivery succeeds; the first arrives three times at once, one of which dies.
          let first = true;
          for (;;) {
            const attempts = first ? [delivery(fault(killAt)), delivery(fault(0)), delivery(fault(0))] : [delivery(fault(0))];
            first = false;
            const results = await Promise.allSettled(attempts.map((handler) => handler(event)));
            if (results.some((result) => result.status === 'fulfilled')) break;
            await new Promise((resolve) => setTimeout(resolve, 100));
          }
          // The remaining redeliveries of the same message find it done.
          await delivery(fault(0))(event).catch(() => undefined);
          promotions.push(twilioFake.primaries.length - before);
        }
      },
    });
    expect(promotions).toEqual([1, 1, 1, 1, 1, 1, 1, 1]);
    expect(parseRotationSecret(gcpStore.latest() ?? '').authToken).toBe(twilioFake.primary);
    expect({ refused: traffic.legitimateRefused, statuses: traffic.refusedStatuses }).toEqual({ refused: 0, statuses: [] });
    expect(traffic.forgedAccepted).toBe(0);
    expect(violations).toEqual([]);
    // eslint-disable-next-line no-console
    console.log(`crashes + concurrency on GCP: ${traffic.legitimate} legitimate, ${traffic.forged} forged`);
  } finally {
    await Promise.all([...servers.map((server) => server.close()), gcpStore.close()]);
  }
}, 120_000);

test('Azure: rotations crashing after every state change, events delivered concurrently throughout, under signed traffic: 0 refused, 0 forged accepted, one promotion each', async () => {
  const SECRET = 'twilio-auth-token';
  await twilioFake.close();
  twilioFake = await startTwilioAccountsFake(ACCOUNT_SID, FIRST_TOKEN);
  const vault = await startKeyVaultRotationFake(
    SECRET,
    JSON.stringify({ accountSid: ACCOUNT_SID, authToken: FIRST_TOKEN }),
    Math.floor(Date.now() / 1000) + 30 * 86_400,
  );
  const secretClient = () => localKeyVaultClient(vault.url) as unknown as KeyVaultSecretWriter;
  const url = 'https://myapp.azurewebsites.net/api/sms';
  const webhooks = Array.from({ length: 3 }, () =>
    azureWebhook(() => '<Response/>', {
      authToken: keyVaultTokens({
        secretName: SECRET,
        client: secretClient() as unknown as KeyVaultSecretReader,
        cache: { ttlMs: 500, minRefreshIntervalMs: 60_000 },
      }),
      logger: collectingLogger().logger,
    }),
  );
  const violations = watchPrimaryStored(() => vault.latest()?.value);
  const real = secretClient();
  const clientOptions = fakeTwilioClientOptions(twilioFake);
  const options = (state: Fault) => {
    const client: KeyVaultSecretWriter = {
      getSecret: (name, o) => guarded(state, false, () => real.getSecret(name, o)),
      setSecret: (name, value, o) => guarded(state, true, () => real.setSecret(name, value, o)),
      updateSecretProperties: (name, version, o) => guarded(state, true, () => real.updateSecretProperties(name, version, o)),
    };
    return {
      secretName: SECRET,
      client,
      twilio: crashingTwilio(azureTwilio({ clientOptions }), state),
      cacheTtlMs: 500,
      settleMs: 100,
      logger: collectingLogger().logger,
    };
  };
  const event = (id: string, eventType = 'Microsoft.KeyVault.SecretNearExpiry') => {
    const version = vault.latest()?.version ?? '';
    return { id, eventType, subject: SECRET, data: { ObjectName: SECRET, Version: version } };
  };
  const form = azureSmsForm('traffic');
  const promotions: number[] = [];
  try {
    const traffic = await runSignedTraffic({
      twilio: twilioFake,
      minimumLegitimate: 1_500,
      send: async (n, signature) => {
        const request = hostRequest({
          host: 'myapp.azurewebsites.net',
          target: '/api/sms',
          headers: { ...AZURE_FORM, 'x-twilio-signature': signature },
          body: form.body,
        });
        return (await (webhooks[n % webhooks.length] as (typeof webhooks)[number])(request, invocationContext())).status ?? 200;
      },
      sign: (token, forgedUrl) => azureSign(forgedUrl ? `${url}?forged=1` : url, form.params, token),
      rotate: async () => {
        // A clean rotation changes state 4 times: secondary, pending version, Promote, committed version.
        for (let killAt = 1; killAt <= 5; killAt++) {
          const before = twilioFake.primaries.length;
          const near = event(`near-${killAt}`);
          // The event arrives three times at once (with SecretExpired too); each records the request.
          await Promise.allSettled(
            [near, near, event(`expired-${killAt}`, 'Microsoft.KeyVault.SecretExpired')].map((e) => keyVaultRotation(options(fault(0)))(e)),
          );
          // The timer (one instance at a time): the first run dies at its killAt-th change, later runs resume.
          // Redeliveries keep arriving while it works.
          let tick = 0;
          for (;;) {
            const redelivery = keyVaultRotation(options(fault(0)))(near).catch(() => undefined);
            const outcome = await keyVaultRotationTimer(options(fault(tick++ === 0 ? killAt : 0)))().catch(() => 'crashed');
            await redelivery;
            if (outcome !== 'crashed') break;
          }
          // Nothing is left to do.
          expect(await keyVaultRotationTimer(options(fault(0)))()).toBeUndefined();
          promotions.push(twilioFake.primaries.length - before);
        }
      },
    });
    expect(promotions).toEqual([1, 1, 1, 1, 1]);
    expect(parseRotationSecret(vault.latest()?.value ?? '').authToken).toBe(twilioFake.primary);
    expect({ refused: traffic.legitimateRefused, statuses: traffic.refusedStatuses }).toEqual({ refused: 0, statuses: [] });
    expect(traffic.forgedAccepted).toBe(0);
    expect(violations).toEqual([]);
    // eslint-disable-next-line no-console
    console.log(`crashes + concurrency on Azure: ${traffic.legitimate} legitimate, ${traffic.forged} forged`);
  } finally {
    await vault.close();
  }
}, 120_000);

/**
 * The GCP rotation function served by the real Functions Framework, reading and adding versions with
 * the real SecretManagerServiceClient (REST fallback) against a local Secret Manager, and calling a
 * local fake of Twilio's auth-token API through the real `twilio` client.
 */
import * as functions from '@google-cloud/functions-framework';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import { parseRotationSecret, type TwilioAuthTokensApi } from '@twiml-guard/core/rotation';
import { secretManagerTokens, twilioWebhook, type SecretVersionReader } from '@twiml-guard/gcp-functions';
import { officialTwilioAuthTokens, secretManagerRotation, type SecretVersionWriter } from '@twiml-guard/gcp-functions/rotation';
import { localSecretManagerClient } from '@twiml-guard/test-support/platforms/gcp-secret-client';
import { FORM, listen, send, sign, smsForm } from '@twiml-guard/test-support/platforms/gcp-http-client';
import {
  FAKE_PROJECT_NUMBER,
  numberForm,
  startGcpSecretManagerFake,
  type GcpSecretManagerFake,
} from '@twiml-guard/test-support/fakes/secret-manager-fake';
import { ACCOUNT_SID, FIRST_TOKEN, collectingLogger, crashesAfterPromote } from '@twiml-guard/test-support/rotation-fixtures';
import { runSignedTraffic } from '@twiml-guard/test-support/signed-traffic';
import {
  fakeTwilioClientOptions,
  startTwilioAccountsFake,
  type TwilioAccountsFake,
} from '@twiml-guard/test-support/fakes/twilio-accounts-fake';

const SECRET = 'projects/demo/secrets/twilio-auth-token';

let store: GcpSecretManagerFake;
let twilioFake: TwilioAccountsFake;
let registered = 0;
const closers: (() => Promise<void>)[] = [];

beforeEach(async () => {
  store = await startGcpSecretManagerFake(SECRET, JSON.stringify({ accountSid: ACCOUNT_SID, authToken: FIRST_TOKEN }));
  twilioFake = await startTwilioAccountsFake(ACCOUNT_SID, FIRST_TOKEN);
});
afterEach(async () => {
  await Promise.all([...closers.splice(0).map((close) => close()), store.close(), twilioFake.close()]);
});

function secretClient(): SecretVersionWriter {
  return localSecretManagerClient(store.port) as unknown as SecretVersionWriter;
}

/** Registers the rotation function under a fresh name and serves it like the framework does on Cloud Run. */
async function deploy(twilio?: TwilioAuthTokensApi) {
  const { logger, entries } = collectingLogger();
  const name = `rotateTwilioAuthToken${registered++}`;
  functions.cloudEvent(
    name,
    secretManagerRotation({
      name: SECRET,
      client: secretClient(),
      clientOptions: fakeTwilioClientOptions(twilioFake),
      ...(twilio ? { twilio } : {}),
      cacheTtlMs: 0,
      settleMs: 0,
      logger,
    }),
  );
  const server = await listen(getTestServer(name));
  closers.push(server.close);
  /** Pushes a Pub/Sub message as Eventarc does (a structured CloudEvent); returns the HTTP status. */
  const deliver = async (attributes: Record<string, string>, messageId: string) => {
    const event = {
      specversion: '1.0',
      id: messageId,
      source: '//pubsub.googleapis.com/projects/demo/topics/twilio-secret-rotation',
      type: 'google.cloud.pubsub.topic.v1.messagePublished',
      datacontenttype: 'application/json',
      data: {
        message: { attributes, data: Buffer.from('{}').toString('base64'), messageId },
        subscription: 'projects/demo/subscriptions/eventarc',
      },
    };
    const body = JSON.stringify(event);
    return (
      await send(server.port, {
        host: 'rotation.example.run.app',
        path: '/',
        headers: { 'content-type': 'application/cloudevents+json' },
        body,
      })
    ).status;
  };
  // Secret Manager names the project by number in the secretId attribute, while the function is configured with the project ID (infra/gcp).
  const rotate = (messageId = 'rotate-1') =>
    deliver({ eventType: 'SECRET_ROTATE', dataFormat: 'JSON_API_V1', secretId: numberForm(SECRET) }, messageId);
  return { deliver, rotate, entries };
}

const latest = () => parseRotationSecret(store.latest() ?? '');

test('SECRET_ROTATE rotates: a pending version, Promote, a committed version with the old token as previous', async () => {
  const { rotate } = await deploy();
  expect(await rotate()).toBe(200);
  expect(store.versions).toHaveLength(3);
  expect(parseRotationSecret(store.versions[1] ?? '')).toMatchObject({ authToken: FIRST_TOKEN, pendingAuthToken: twilioFake.primary });
  expect(latest()).toMatchObject({
    accountSid: ACCOUNT_SID,
    authToken: twilioFake.primary,
    previousAuthToken: FIRST_TOKEN,
    rotationId: 'rotate-1',
  });
  expect(latest().pendingAuthToken).toBeUndefined();
  expect(twilioFake.primaries).toHaveLength(2);
  expect(twilioFake.secondary).toBeUndefined();
});

test('its own SECRET_VERSION_ADD messages (and TOPIC_CONFIGURED) come back on the topic and are ignored', async () => {
  const { rotate, deliver } = await deploy();
  await rotate();
  const callsAfterRotation = twilioFake.calls.length;
  expect(store.published.map((message) => message.attributes.eventType)).toEqual(['SECRET_VERSION_ADD', 'SECRET_VERSION_ADD']);
  for (const message of store.published.splice(0)) expect(await deliver(message.attributes, `add-${message.messageId}`)).toBe(204);
  expect(await deliver({}, 'topic-configured')).toBe(204);
  expect(store.versions).toHaveLength(3);
  expect(twilioFake.calls).toHaveLength(callsAfterRotation);
});

test('a redelivered SECRET_ROTATE after a finished rotation does nothing; a new one rotates again', async () => {
  const { rotate, entries } = await deploy();
  await rotate('m-1');
  await rotate('m-1');
  expect(store.versions).toHaveLength(3);
  expect(twilioFake.primaries).toHaveLength(2);
  expect(entries.map((entry) => entry.msg)).toContain('rotation already completed for this event; nothing to do');
  await rotate('m-2');
  expect(twilioFake.primaries).toHaveLength(3);
  expect(latest()).toMatchObject({ authToken: twilioFake.primaries[2], previousAuthToken: twilioFake.primaries[1] });
});

test('SECRET_ROTATE for another secret is ignored, with a warning, whichever form names the project', async () => {
  const { deliver, entries } = await deploy();
  for (const secretId of [
    'projects/demo/secrets/something-else',
    `projects/${FAKE_PROJECT_NUMBER}/secrets/something-else`,
    'projects/other/secrets/twilio-auth-token',
    'projects/987654321098/secrets/twilio-auth-token',
  ]) {
    expect(await deliver({ eventType: 'SECRET_ROTATE', secretId }, `other-${secretId}`)).toBe(204);
  }
  expect(store.versions).toHaveLength(1);
  expect(twilioFake.calls).toEqual([]);
  expect(entries.filter((entry) => entry.msg === 'rotation: SECRET_ROTATE for a secret this function does not rotate')).toHaveLength(4);
});

test('SECRET_ROTATE naming the project by ID rotates too (the same secret in both forms)', async () => {
  const { deliver } = await deploy();
  expect(await deliver({ eventType: 'SECRET_ROTATE', secretId: SECRET }, 'by-id')).toBe(200);
  expect(twilioFake.primaries).toHaveLength(2);
  expect(await deliver({ eventType: 'SECRET_ROTATE', secretId: numberForm(SECRET) }, 'by-number')).toBe(200);
  expect(twilioFake.primaries).toHaveLength(3);
});

test('a crash between Promote and the committed version: Pub/Sub redelivers, the rerun ends consistent', async () => {
  const dying = await deploy(crashesAfterPromote(officialTwilioAuthTokens({ clientOptions: fakeTwilioClientOptions(twilioFake) })));
  expect(await dying.rotate('m-crash')).toBe(500);
  // Twilio signs with the pending token; the latest version still lists it as pending, so webhooks accept it.
  expect(latest()).toMatchObject({ authToken: FIRST_TOKEN, pendingAuthToken: twilioFake.primary });

  const rerun = await deploy();
  expect(await rerun.rotate('m-crash')).toBe(200);
  expect(latest()).toMatchObject({ authToken: twilioFake.primary, previousAuthToken: FIRST_TOKEN });
  expect(latest().pendingAuthToken).toBeUndefined();
  expect(twilioFake.primaries).toHaveLength(2);
  expect(store.versions).toHaveLength(3);
});

test('the store failing while committing: the redelivery commits without a second promotion', async () => {
  const { rotate } = await deploy();
  let adds = 0;
  const realPush = store.versions.push.bind(store.versions);
  store.versions.push = (...items: string[]) => {
    adds++;
    if (adds === 1) store.failNextAdd = true;
    return realPush(...items);
  };
  expect(await rotate('m-store')).toBe(500);
  expect(twilioFake.primaries).toHaveLength(2);
  expect(await rotate('m-store')).toBe(200);
  expect(latest()).toMatchObject({ authToken: twilioFake.primary, previousAuthToken: FIRST_TOKEN });
  expect(twilioFake.primaries).toHaveLength(2);
});

test('signed traffic through gcp-functions webhooks (secretManagerTokens, 500 ms cache) during two rotations: 0 legitimate refused, 0 forged accepted', async () => {
  const HOST = 'sms-abc123def-uc.a.run.app';
  const servers: { port: number }[] = [];
  for (let i = 0; i < 3; i++) {
    const name = `smsRotationTraffic${registered++}`;
    functions.http(
      name,
      twilioWebhook(() => '<Response/>', {
        authToken: secretManagerTokens({
          name: SECRET,
          client: secretClient() as unknown as SecretVersionReader,
          cache: { ttlMs: 500, minRefreshIntervalMs: 60_000 },
        }),
        logger: collectingLogger().logger,
      }),
    );
    const server = await listen(getTestServer(name));
    closers.push(server.close);
    servers.push(server);
  }
  const rotation = secretManagerRotation({
    name: SECRET,
    client: secretClient(),
    clientOptions: fakeTwilioClientOptions(twilioFake),
    cacheTtlMs: 500,
    settleMs: 100,
    logger: collectingLogger().logger,
  });

  const tally = await runSignedTraffic({
    twilio: twilioFake,
    minimumLegitimate: 1_500,
    sign: (token, forgedUrl, n) => sign(`https://${HOST}/${forgedUrl ? '?forged=1' : ''}`, smsForm(`message ${n}`).params, token),
    send: async (n, signature) => {
      const server = servers[n % servers.length] as { port: number };
      const { status } = await send(server.port, {
        host: HOST,
        path: '/',
        headers: { ...FORM, 'x-twilio-signature': signature },
        body: smsForm(`message ${n}`).body,
      });
      return status;
    },
    rotate: async () => {
      for (const id of ['traffic-1', 'traffic-2']) {
        await rotation({ data: { message: { attributes: { eventType: 'SECRET_ROTATE', secretId: numberForm(SECRET) }, messageId: id } } });
      }
    },
  });
  expect(twilioFake.primaries).toHaveLength(3);
  expect(latest().authToken).toBe(twilioFake.primary);
  expect({ refused: tally.legitimateRefused, accepted: tally.forgedAccepted }).toEqual({ refused: 0, accepted: 0 });
  expect(tally.legitimate).toBeGreaterThanOrEqual(1_500);
  expect(tally.forged).toBeGreaterThan(150);
});

test('N concurrent deliveries of one SECRET_ROTATE: a lease in the secret (written with its etag) lets one run rotate; the others are redelivered and find it done', async () => {
  const violations: string[] = [];
  twilioFake.afterChange = (route) => {
    const stored = parseRotationSecret(store.latest() ?? '');
    if (![stored.authToken, stored.pendingAuthToken, stored.previousAuthToken].includes(twilioFake.primary)) violations.push(route);
  };
  const logs = collectingLogger();
  const rotation = secretManagerRotation({
    name: SECRET,
    client: secretClient(),
    clientOptions: fakeTwilioClientOptions(twilioFake),
    cacheTtlMs: 200,
    settleMs: 0,
    logger: logs.logger,
  });
  const event = {
    data: { message: { attributes: { eventType: 'SECRET_ROTATE', secretId: numberForm(SECRET) }, messageId: 'concurrent-1' } },
  };
  const first = await Promise.allSettled(Array.from({ length: 5 }, () => rotation(event)));
  expect(
    first.filter((result) => result.status === 'fulfilled').map((result) => (result as PromiseFulfilledResult<unknown>).value),
  ).toEqual([expect.objectContaining({ status: 'rotated' })]);
  expect(
    first.filter((result) => result.status === 'rejected').map((result) => ((result as PromiseRejectedResult).reason as Error).name),
  ).toEqual(Array(4).fill('RotationInProgressError'));
  // Pub/Sub redelivers the four: the rotation for this message is done.
  for (let i = 0; i < 4; i++) expect(await rotation(event)).toMatchObject({ status: 'skipped', startedAt: 'already-done' });
  expect(twilioFake.primaries).toHaveLength(2);
  expect(twilioFake.calls.filter((call) => call === 'POST /v1/AuthTokens/Secondary')).toHaveLength(1);
  expect(store.versions).toHaveLength(3);
  expect(store.annotations).toEqual({});
  expect(violations).toEqual([]);
  // Deferred runs log a warning, not an error.
  expect(logs.entries.filter((entry) => entry.level === 'error')).toEqual([]);
});

test('a run that died holding the lease: the redelivery waits until the lease runs out, then resumes', async () => {
  const dying = crashesAfterPromote(officialTwilioAuthTokens({ clientOptions: fakeTwilioClientOptions(twilioFake) }));
  const event = { data: { message: { attributes: { eventType: 'SECRET_ROTATE', secretId: numberForm(SECRET) }, messageId: 'lease-1' } } };
  const options = {
    name: SECRET,
    client: secretClient(),
    clientOptions: fakeTwilioClientOptions(twilioFake),
    cacheTtlMs: 0,
    settleMs: 0,
    leaseMs: 2_000,
    logger: collectingLogger().logger,
  };
  // The process is killed after Promote: its lease stays in the secret (release never ran).
  const real = secretClient() as Required<SecretVersionWriter>;
  const client: SecretVersionWriter = {
    accessSecretVersion: (request) => real.accessSecretVersion(request),
    addSecretVersion: (request) => real.addSecretVersion(request),
    getSecret: (request) => real.getSecret(request),
    // Once killed, it cannot release its lease either.
    updateSecret: (request) => (dying.crashed ? Promise.reject(new Error('process killed')) : real.updateSecret(request)),
  };
  const killed = secretManagerRotation({ ...options, twilio: dying, client });
  await expect(killed(event)).rejects.toThrow('process killed');
  expect(store.annotations['twiml-guard-rotation-lease']).toBeDefined();
  const retry = secretManagerRotation(options);
  await expect(retry(event)).rejects.toThrow('another run holds the rotation');
  await new Promise((resolve) => setTimeout(resolve, 2_100));
  expect(await retry(event)).toMatchObject({ status: 'rotated', startedAt: 'promoted' });
  expect(twilioFake.primaries).toHaveLength(2);
  expect(latest()).toMatchObject({ authToken: twilioFake.primary, previousAuthToken: FIRST_TOKEN });
});

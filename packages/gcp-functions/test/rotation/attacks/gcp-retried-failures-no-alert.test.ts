/**
 * Attack on the alert line: Twilio does not document how long the old token keeps authenticating after
 * Promote. When it does for longer than the verification's patience (30 s), the attempt fails, but a
 * redelivery finishes the same rotation without anyone's help. That is a retry, not "rotation gave up:
 * it needs a person": an alert a user builds on that line must not fire for it.
 */
import { SecretManagerServiceClient } from '@google-cloud/secret-manager';
import { parseRotationSecret, ROTATION_GAVE_UP_MESSAGE } from '@twiml-guard/core/rotation';
import { secretManagerRotation, type SecretVersionWriter } from '@twiml-guard/gcp-functions/rotation';
import { OAuth2Client } from 'google-auth-library';
import { numberForm, startGcpSecretManagerFake, type GcpSecretManagerFake } from '@twiml-guard/test-support/fakes/secret-manager-fake';
import { ACCOUNT_SID, FIRST_TOKEN, collectingLogger } from '@twiml-guard/test-support/rotation-fixtures';
import {
  fakeTwilioClientOptions,
  startTwilioAccountsFake,
  type TwilioAccountsFake,
} from '@twiml-guard/test-support/fakes/twilio-accounts-fake';

const SECRET = 'projects/demo/secrets/twilio-auth-token';
let store: GcpSecretManagerFake;
let twilioFake: TwilioAccountsFake;

beforeEach(async () => {
  store = await startGcpSecretManagerFake(SECRET, JSON.stringify({ accountSid: ACCOUNT_SID, authToken: FIRST_TOKEN }));
  twilioFake = await startTwilioAccountsFake(ACCOUNT_SID, FIRST_TOKEN);
});
afterEach(async () => {
  await Promise.all([store.close(), twilioFake.close()]);
});

test('the old token still authenticating past the verification patience: a retried failure, then the redelivery commits', async () => {
  const authClient = new OAuth2Client();
  authClient.setCredentials({ access_token: 't', expiry_date: Date.now() + 3.6e6 });
  authClient.transporter.defaults.fetchImplementation = fetch;
  const client = new SecretManagerServiceClient({
    fallback: true,
    apiEndpoint: '127.0.0.1',
    port: store.port,
    protocol: 'http',
    authClient,
  }) as unknown as SecretVersionWriter;
  let clock = Date.now();
  const { logger, entries } = collectingLogger();
  const rotate = secretManagerRotation({
    name: SECRET,
    client,
    clientOptions: fakeTwilioClientOptions(twilioFake),
    cacheTtlMs: 60_000,
    settleMs: 0,
    now: () => clock,
    sleep: async (ms) => void (clock += ms),
    logger,
  });
  const event = {
    data: { message: { attributes: { eventType: 'SECRET_ROTATE', secretId: numberForm(SECRET) }, messageId: 'slow-old-token' } },
  };

  twilioFake.modes.oldTokenAuthenticatesForMs = 10 * 60_000;
  await expect(rotate(event)).rejects.toThrow(/still accepts the old auth token/);
  const promoted = twilioFake.primary;
  expect(parseRotationSecret(store.latest() ?? '').pendingAuthToken).toBe(promoted);

  // Twilio catches up; Pub/Sub redelivers.
  twilioFake.modes.oldTokenAuthenticatesForMs = 0;
  expect(await rotate(event)).toMatchObject({ status: 'rotated', startedAt: 'promoted' });
  expect(parseRotationSecret(store.latest() ?? '')).toMatchObject({ authToken: promoted, previousAuthToken: FIRST_TOKEN });
  expect(twilioFake.primaries).toEqual([FIRST_TOKEN, promoted]);

  const errors = entries.filter((entry) => entry.level === 'error');
  expect(errors.map((entry) => entry.msg)).toEqual(['rotation failed; Pub/Sub will redeliver']);
  expect(errors.map((entry) => entry.msg)).not.toContain(ROTATION_GAVE_UP_MESSAGE);
  expect(JSON.stringify(entries)).not.toContain(promoted);
  expect(JSON.stringify(entries)).not.toContain(FIRST_TOKEN);
});

test('the staged secondary deleted at Twilio during the wait: a retried failure, then the redelivery stages again and rotates', async () => {
  const authClient = new OAuth2Client();
  authClient.setCredentials({ access_token: 't', expiry_date: Date.now() + 3.6e6 });
  authClient.transporter.defaults.fetchImplementation = fetch;
  const client = new SecretManagerServiceClient({
    fallback: true,
    apiEndpoint: '127.0.0.1',
    port: store.port,
    protocol: 'http',
    authClient,
  }) as unknown as SecretVersionWriter;
  let clock = Date.now();
  let deleteDuringWait = true;
  const { logger, entries } = collectingLogger();
  const rotate = secretManagerRotation({
    name: SECRET,
    client,
    clientOptions: fakeTwilioClientOptions(twilioFake),
    cacheTtlMs: 60_000,
    settleMs: 0,
    now: () => clock,
    sleep: async (ms) => {
      clock += ms;
      // Someone (another tool, a person in the Console) deletes the secondary while the rotation waits.
      if (deleteDuringWait) twilioFake.secondary = undefined;
    },
    logger,
  });
  const event = {
    data: { message: { attributes: { eventType: 'SECRET_ROTATE', secretId: numberForm(SECRET) }, messageId: 'deleted-secondary' } },
  };
  await expect(rotate(event)).rejects.toThrow(/not Twilio's secondary/);
  expect(twilioFake.primary).toBe(FIRST_TOKEN);

  deleteDuringWait = false;
  expect(await rotate(event)).toMatchObject({ status: 'rotated', startedAt: 'pending-stale' });
  expect(parseRotationSecret(store.latest() ?? '').authToken).toBe(twilioFake.primary);
  expect(twilioFake.primaries).toHaveLength(2);
  expect(entries.filter((entry) => entry.level === 'error').map((entry) => entry.msg)).toEqual(['rotation failed; Pub/Sub will redeliver']);
  expect(JSON.stringify(entries)).not.toContain(twilioFake.primary);
});

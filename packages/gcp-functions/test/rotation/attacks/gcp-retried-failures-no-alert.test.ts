/**
 * Attack on the alert line: Twilio does not document how long the old token keeps authenticating after
 * Promote. When it does for longer than the verification's patience (30 s), the attempt fails, but a
 * redelivery finishes the same rotation without anyone's help. That is a retry, not "rotation gave up:
 * it needs a person": an alert a user builds on that line must not fire for it.
 */
import { parseRotationSecret, ROTATION_GAVE_UP_MESSAGE } from '@twiml-guard/core/rotation';
import { secretManagerRotation, type SecretVersionWriter } from '@twiml-guard/gcp-functions/rotation';
import { localSecretManagerClient } from '@twiml-guard/test-support/platforms/gcp-secret-client';
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

/** The rotation function on a clock its waits advance (`afterSleep` runs after each wait), and SECRET_ROTATE for it. */
function rotationOnClock(messageId: string, afterSleep: () => void = () => {}) {
  let clock = Date.now();
  const { logger, entries } = collectingLogger();
  const rotate = secretManagerRotation({
    name: SECRET,
    client: localSecretManagerClient(store.port) as unknown as SecretVersionWriter,
    clientOptions: fakeTwilioClientOptions(twilioFake),
    cacheTtlMs: 60_000,
    settleMs: 0,
    now: () => clock,
    sleep: async (ms) => {
      clock += ms;
      afterSleep();
    },
    logger,
  });
  const event = { data: { message: { attributes: { eventType: 'SECRET_ROTATE', secretId: numberForm(SECRET) }, messageId } } };
  return { rotate, event, entries };
}

test('the old token still authenticating past the verification patience: a retried failure, then the redelivery commits', async () => {
  const { rotate, event, entries } = rotationOnClock('slow-old-token');

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
  let deleteDuringWait = true;
  const { rotate, event, entries } = rotationOnClock('deleted-secondary', () => {
    // Someone (another tool, a person in the Console) deletes the secondary while the rotation waits.
    if (deleteDuringWait) twilioFake.secondary = undefined;
  });
  await expect(rotate(event)).rejects.toThrow(/not Twilio's secondary/);
  expect(twilioFake.primary).toBe(FIRST_TOKEN);

  deleteDuringWait = false;
  expect(await rotate(event)).toMatchObject({ status: 'rotated', startedAt: 'pending-stale' });
  expect(parseRotationSecret(store.latest() ?? '').authToken).toBe(twilioFake.primary);
  expect(twilioFake.primaries).toHaveLength(2);
  expect(entries.filter((entry) => entry.level === 'error').map((entry) => entry.msg)).toEqual(['rotation failed; Pub/Sub will redeliver']);
  expect(JSON.stringify(entries)).not.toContain(twilioFake.primary);
});

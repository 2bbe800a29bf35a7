/**
 * Attack on the GCP lease: a run whose Twilio calls are slow (each may take the client's timeout) while
 * it stages outlives its lease. Pub/Sub redelivers the message; the redelivery takes the expired lease
 * and rotates completely (deleting the slow run's secondary, promoting its own, committing). Then the
 * slow run's createSecondary answer arrives and it writes its pending version over the committed one:
 * the store would name the refused old token current and a deleted token pending, while Twilio signs
 * with a token the store no longer holds, and every webhook is refused until a person repairs it.
 * A run must make sure, right before it stores a pending token, that it still holds the claim and that
 * the store is still where it staged from.
 */
import { parseRotationSecret } from '@twiml-guard/core/rotation';
import { officialTwilioAuthTokens, secretManagerRotation, type SecretVersionWriter } from '@twiml-guard/gcp-functions/rotation';
import { localSecretManagerClient } from '@twiml-guard/test-support/platforms/gcp-secret-client';
import { numberForm, startGcpSecretManagerFake, type GcpSecretManagerFake } from '@twiml-guard/test-support/fakes/secret-manager-fake';
import { ACCOUNT_SID, FIRST_TOKEN, collectingLogger, lateCreateSecondaryAnswer } from '@twiml-guard/test-support/rotation-fixtures';
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

function secretClient(): SecretVersionWriter {
  return localSecretManagerClient(store.port) as unknown as SecretVersionWriter;
}

const stored = () => {
  const secret = parseRotationSecret(store.latest() ?? '');
  return [secret.authToken, secret.pendingAuthToken, secret.previousAuthToken];
};

test('a staging run slower than its lease never writes over the rotation a redelivery completed meanwhile', async () => {
  // One clock for both runs (the lease compares times): the slow run's answer arrives after its lease ran out.
  let clock = Date.now();
  const timing = { cacheTtlMs: 60_000, settleMs: 0, leaseMs: 60_000, now: () => clock, sleep: async (ms: number) => void (clock += ms) };
  const real = officialTwilioAuthTokens({ clientOptions: fakeTwilioClientOptions(twilioFake) });
  // Twilio creates the secondary; the answer takes longer than the lease.
  const { twilio: slowTwilio, created, answer: answerArrives } = lateCreateSecondaryAnswer(real);
  const event = { data: { message: { attributes: { eventType: 'SECRET_ROTATE', secretId: numberForm(SECRET) }, messageId: 'slow-1' } } };
  const slowLogs = collectingLogger();
  const slow = secretManagerRotation({ name: SECRET, client: secretClient(), twilio: slowTwilio, logger: slowLogs.logger, ...timing })(
    event,
  );
  const slowSettled = slow.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  await created;
  clock += 61_000;

  // Pub/Sub redelivers the unacknowledged message; the redelivery rotates end to end.
  const redelivery = secretManagerRotation({
    name: SECRET,
    client: secretClient(),
    clientOptions: fakeTwilioClientOptions(twilioFake),
    logger: collectingLogger().logger,
    ...timing,
  });
  expect(await redelivery(event)).toMatchObject({ status: 'rotated' });
  const promoted = twilioFake.primary;
  expect(stored()).toContain(promoted);

  answerArrives();
  const outcome = await slowSettled;
  expect(outcome).toHaveProperty('error');
  expect(twilioFake.primaries).toEqual([FIRST_TOKEN, promoted]);
  expect(stored()).toContain(promoted);
  expect(parseRotationSecret(store.latest() ?? '')).toMatchObject({ authToken: promoted, previousAuthToken: FIRST_TOKEN });
  expect(parseRotationSecret(store.latest() ?? '').pendingAuthToken).toBeUndefined();
  // The slow run stops with a warning (another run has it), not the alert line.
  expect(slowLogs.entries.filter((entry) => entry.level === 'error')).toEqual([]);
  expect(JSON.stringify(slowLogs.entries)).not.toContain(promoted);
});

/**
 * Attack on createSecret's claim: an invocation whose Twilio createSecondary answer arrives after its
 * claim's lease ran out. A second invocation (Secrets Manager retrying the step) claims with the next
 * derived token, deletes the first one's secondary and creates its own; then the first answer arrives
 * and the first invocation stores its now-deleted token as AWSPENDING before the second can. The
 * rotation is then stuck ("no longer Twilio's secondary", needs a person). An invocation must still hold
 * the claim when it stores the pending version, and a claimant must look again for a stored version.
 */
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { officialTwilioAuthTokens, secretsManagerRotation } from '@twiml-guard/aws-lambda/rotation';
import { parseRotationSecret, type TwilioAuthTokensApi } from '@twiml-guard/core/rotation';
import { ACCOUNT_SID, FIRST_TOKEN, collectingLogger, lateCreateSecondaryAnswer } from '@twiml-guard/test-support/rotation-fixtures';
import { FAKE_CLIENT_CONFIG, startSecretsManagerFake, type SecretsManagerFake } from '@twiml-guard/test-support/fakes/secrets-manager-fake';
import {
  fakeTwilioClientOptions,
  startTwilioAccountsFake,
  type TwilioAccountsFake,
} from '@twiml-guard/test-support/fakes/twilio-accounts-fake';

let store: SecretsManagerFake;
let twilioFake: TwilioAccountsFake;
let client: SecretsManagerClient;

beforeEach(async () => {
  store = await startSecretsManagerFake('twilio/auth-token', JSON.stringify({ accountSid: ACCOUNT_SID, authToken: FIRST_TOKEN }));
  twilioFake = await startTwilioAccountsFake(ACCOUNT_SID, FIRST_TOKEN);
  client = new SecretsManagerClient(FAKE_CLIENT_CONFIG(store.endpoint));
});
afterEach(async () => {
  client.destroy();
  await Promise.all([store.close(), twilioFake.close()]);
});

test('a createSecret slower than its claim does not store a secondary the retry already replaced', async () => {
  let clock = Date.now();
  const real = officialTwilioAuthTokens({ clientOptions: fakeTwilioClientOptions(twilioFake) });
  const { twilio: slow, created, answer: firstAnswer } = lateCreateSecondaryAnswer(real);
  const options = {
    client,
    cacheTtlMs: 60_000,
    settleMs: 0,
    leaseMs: 60_000,
    now: () => clock,
    sleep: async (ms: number) => void (clock += ms),
  };
  const token = store.startRotation();
  const event = (Step: string) => ({ Step, SecretId: store.arn, ClientRequestToken: token });

  const firstLogs = collectingLogger();
  const first = secretsManagerRotation({ ...options, twilio: slow, logger: firstLogs.logger })(event('createSecret')).then(
    () => 'stored',
    (error: unknown) => (error as Error).name,
  );
  await created;
  clock += 61_000;

  // The retry claims, replaces the secondary, and the first answer arrives just before it stores its own.
  const retryTwilio: TwilioAuthTokensApi = {
    ...real,
    createSecondary: async (credentials) => {
      const secondary = await real.createSecondary(credentials);
      firstAnswer();
      await first;
      return secondary;
    },
  };
  const retry = secretsManagerRotation({ ...options, twilio: retryTwilio, logger: collectingLogger().logger });
  await retry(event('createSecret')).catch(() => undefined);
  await first;

  // Whatever is stored as AWSPENDING is Twilio's secondary, and the rotation runs to the end.
  expect(parseRotationSecret(store.valueAt('AWSPENDING') ?? '').authToken).toBe(twilioFake.secondary);
  for (const step of ['setSecret', 'testSecret', 'finishSecret']) await retry(event(step));
  expect(twilioFake.primaries).toHaveLength(2);
  expect(parseRotationSecret(store.valueAt('AWSCURRENT') ?? '').authToken).toBe(twilioFake.primary);
  expect(firstLogs.entries.filter((entry) => entry.level === 'error')).toEqual([]);
  expect(JSON.stringify(firstLogs.entries)).not.toContain(twilioFake.primary);
});

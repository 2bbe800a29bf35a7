/**
 * Attack on the AWS promotion deadline: a setSecret that arrives after `promoteBy` (a retry of an
 * invocation whose answer was lost, or a concurrent duplicate) while another invocation has already
 * promoted. Twilio does not document whether the old primary keeps authenticating for a while after
 * Promote; while it does, the late setSecret sees "current and pending both work" (pending-staged).
 * It must not then abandon the version: Twilio already signs with the pending token, and removing
 * AWSPENDING would leave the primary outside every token the webhooks read.
 */
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { secretsManagerRotation } from '@twiml-guard/aws-lambda/rotation';
import { parseRotationSecret } from '@twiml-guard/core/rotation';
import { ACCOUNT_SID, FIRST_TOKEN, collectingLogger } from '@twiml-guard/test-support/rotation-fixtures';
import { FAKE_CLIENT_CONFIG, startSecretsManagerFake, type SecretsManagerFake } from '@twiml-guard/test-support/fakes/secrets-manager-fake';
import {
  fakeTwilioClientOptions,
  startTwilioAccountsFake,
  type TwilioAccountsFake,
} from '@twiml-guard/test-support/fakes/twilio-accounts-fake';

const SECRET = `twilio/auth-token/${ACCOUNT_SID}`;

let store: SecretsManagerFake;
let twilioFake: TwilioAccountsFake;
let client: SecretsManagerClient;

beforeEach(async () => {
  store = await startSecretsManagerFake(SECRET, JSON.stringify({ accountSid: ACCOUNT_SID, authToken: FIRST_TOKEN }));
  twilioFake = await startTwilioAccountsFake(ACCOUNT_SID, FIRST_TOKEN);
  client = new SecretsManagerClient(FAKE_CLIENT_CONFIG(store.endpoint));
});
afterEach(async () => {
  client.destroy();
  await Promise.all([store.close(), twilioFake.close()]);
});

/** Every token a webhook reading AWSCURRENT + AWSPENDING accepts. */
function storedTokens(): string[] {
  return ['AWSCURRENT', 'AWSPENDING'].flatMap((stage) => {
    const text = store.valueAt(stage);
    if (text === undefined) return [];
    const secret = parseRotationSecret(text);
    return [secret.authToken, secret.pendingAuthToken, secret.previousAuthToken].filter(
      (token): token is string => typeof token === 'string',
    );
  });
}

test.each(['not-found', 'no-content'] as const)(
  'a setSecret after the deadline, while Twilio still accepts the old token after a promotion, keeps the promoted token stored (DELETE without secondary: %s)',
  async (deleteWithoutSecondary) => {
    twilioFake.modes.deleteWithoutSecondary = deleteWithoutSecondary;
    let clock = Date.now();
    const { logger, entries } = collectingLogger();
    const handler = secretsManagerRotation({
      client,
      clientOptions: fakeTwilioClientOptions(twilioFake),
      cacheTtlMs: 60_000,
      settleMs: 0,
      promotionWindowMs: 1_000,
      now: () => clock,
      sleep: async (ms) => {
        clock += ms;
      },
      logger,
    });
    const token = store.startRotation();
    const event = (Step: string) => ({ Step, SecretId: store.arn, ClientRequestToken: token });

    await handler(event('createSecret'));
    // The first setSecret promotes in time; Twilio keeps accepting the old token for a while.
    twilioFake.modes.oldTokenAuthenticatesForMs = 10 * 60_000;
    await handler(event('setSecret'));
    const promoted = twilioFake.primary;
    expect(promoted).not.toBe(FIRST_TOKEN);

    // Secrets Manager delivers setSecret again, after the recorded deadline.
    clock += 10 * 60_000;
    await handler(event('setSecret')).catch(() => undefined);
    expect(twilioFake.primaries).toEqual([FIRST_TOKEN, promoted]);
    expect(storedTokens()).toContain(promoted);
    expect(store.versionAt('AWSPENDING')).toBe(token);

    // Twilio eventually refuses the old token; the rotation finishes on the promoted token.
    twilioFake.modes.oldTokenAuthenticatesForMs = 0;
    await handler(event('testSecret'));
    await handler(event('finishSecret'));
    expect(parseRotationSecret(store.valueAt('AWSCURRENT') ?? '').authToken).toBe(promoted);
    expect(twilioFake.primaries).toEqual([FIRST_TOKEN, promoted]);
    const logText = JSON.stringify(entries);
    for (const secret of [FIRST_TOKEN, promoted]) expect(logText).not.toContain(secret);
  },
);

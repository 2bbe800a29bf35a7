/**
 * Attack on "a failure no retry can fix logs the alert line": a secret whose JSON is malformed, lacks
 * a field, or names another account. No redelivery can repair it, so on every cloud the rotation must
 * log `rotation gave up: it needs a person` with the alert field (what docs/rotation.md tells users to
 * alert on), leave Twilio alone, and never log the token, even when the broken JSON contains it.
 */
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { secretsManagerRotation } from '@twiml-guard/aws-lambda/rotation';
import { keyVaultRotationTimer, type KeyVaultSecretWriter } from '@twiml-guard/azure-functions/rotation';
import type { LogEntry } from '@twiml-guard/core';
import { ROTATION_ALERT, ROTATION_GAVE_UP_MESSAGE } from '@twiml-guard/core/rotation';
import { secretManagerRotation, type SecretVersionWriter } from '@twiml-guard/gcp-functions/rotation';
import { localKeyVaultClient } from '@twiml-guard/test-support/platforms/azure-secret-client';
import { localSecretManagerClient } from '@twiml-guard/test-support/platforms/gcp-secret-client';
import { numberForm, startGcpSecretManagerFake } from '@twiml-guard/test-support/fakes/secret-manager-fake';
import { startKeyVaultRotationFake } from '@twiml-guard/test-support/fakes/key-vault-fake';
import { ACCOUNT_SID, FIRST_TOKEN, collectingLogger } from '@twiml-guard/test-support/rotation-fixtures';
import { FAKE_CLIENT_CONFIG, startSecretsManagerFake } from '@twiml-guard/test-support/fakes/secrets-manager-fake';
import {
  fakeTwilioClientOptions,
  startTwilioAccountsFake,
  type TwilioAccountsFake,
} from '@twiml-guard/test-support/fakes/twilio-accounts-fake';

const OTHER_ACCOUNT = `AC${'f'.repeat(32)}`;
const BROKEN: Record<string, string> = {
  'truncated JSON holding the token': `{"accountSid":"${ACCOUNT_SID}","authToken":"${FIRST_TOKEN}"`,
  'no authToken': JSON.stringify({ accountSid: ACCOUNT_SID, authTkn: FIRST_TOKEN }),
  'no accountSid': JSON.stringify({ authToken: FIRST_TOKEN }),
  'another account': JSON.stringify({ accountSid: OTHER_ACCOUNT, authToken: FIRST_TOKEN }),
};

let twilioFake: TwilioAccountsFake;
const closers: (() => Promise<void> | void)[] = [];
beforeEach(async () => {
  twilioFake = await startTwilioAccountsFake(ACCOUNT_SID, FIRST_TOKEN);
});
afterEach(async () => {
  await Promise.all([...closers.splice(0).map((close) => close()), twilioFake.close()]);
});

function expectGaveUp(entries: LogEntry[]): void {
  const errors = entries.filter((entry) => entry.level === 'error');
  expect(errors.map((entry) => ({ msg: entry.msg, alert: entry.alert }))).toEqual([
    { msg: ROTATION_GAVE_UP_MESSAGE, alert: ROTATION_ALERT },
  ]);
  expect(JSON.stringify(entries)).not.toContain(FIRST_TOKEN);
  expect(twilioFake.calls.filter((call) => call.includes('/AuthTokens/'))).toEqual([]);
}

describe.each(Object.keys(BROKEN))('a secret with %s', (kind) => {
  const payload = BROKEN[kind] as string;
  // The function configured for ACCOUNT_SID only where the secret names another; a bare JSON without accountSid needs none configured to fail.
  const configured = kind === 'another account' ? { accountSid: ACCOUNT_SID } : {};

  test('GCP: SECRET_ROTATE gives up with the alert line', async () => {
    const name = 'projects/demo/secrets/twilio-auth-token';
    const store = await startGcpSecretManagerFake(name, payload);
    closers.push(() => store.close());
    const client = localSecretManagerClient(store.port) as unknown as SecretVersionWriter;
    const { logger, entries } = collectingLogger();
    const rotate = secretManagerRotation({
      name,
      client,
      ...configured,
      clientOptions: fakeTwilioClientOptions(twilioFake),
      cacheTtlMs: 0,
      settleMs: 0,
      logger,
    });
    await expect(
      rotate({ data: { message: { attributes: { eventType: 'SECRET_ROTATE', secretId: numberForm(name) }, messageId: 'm-1' } } }),
    ).rejects.toThrow();
    expectGaveUp(entries);
  });

  test('Azure: the timer gives up with the alert line', async () => {
    const vault = await startKeyVaultRotationFake('twilio-auth-token', payload, Math.floor(Date.now() / 1000) + 86_400);
    closers.push(() => vault.close());
    (vault.versions[0] as { tags: Record<string, string> }).tags = { 'rotation-requested': 'event-1' };
    const client = localKeyVaultClient(vault.url) as unknown as KeyVaultSecretWriter;
    const { logger, entries } = collectingLogger();
    const timer = keyVaultRotationTimer({
      secretName: 'twilio-auth-token',
      client,
      ...configured,
      clientOptions: fakeTwilioClientOptions(twilioFake),
      cacheTtlMs: 0,
      settleMs: 0,
      logger,
    });
    await expect(timer()).rejects.toThrow();
    expectGaveUp(entries);
  });

  test('AWS: createSecret gives up with the alert line', async () => {
    const store = await startSecretsManagerFake('twilio/auth-token', payload);
    closers.push(() => store.close());
    const client = new SecretsManagerClient(FAKE_CLIENT_CONFIG(store.endpoint));
    closers.push(() => client.destroy());
    const { logger, entries } = collectingLogger();
    const handler = secretsManagerRotation({
      client,
      clientOptions: fakeTwilioClientOptions(twilioFake),
      cacheTtlMs: 0,
      settleMs: 0,
      logger,
    });
    await expect(handler({ Step: 'createSecret', SecretId: store.arn, ClientRequestToken: store.startRotation() })).rejects.toThrow();
    expectGaveUp(entries);
  });
});

/**
 * Attack on the Azure trigger: Key Vault sends SecretNearExpiry 30 days before a version expires. A
 * rotation that writes versions valid for 30 days or less (validityDays, TWILIO_AUTH_TOKEN_VALIDITY_DAYS)
 * makes every committed version "near expiry" at once: the next event asks for the next rotation, and
 * Twilio's primary would change again and again. The timer refuses such a setting before touching
 * Twilio, with the alert line, without a token in the log.
 */
import { localKeyVaultClient } from '@twiml-guard/test-support/platforms/azure-secret-client';
import { keyVaultRotationTimer, type KeyVaultSecretWriter } from '@twiml-guard/azure-functions/rotation';
import { ROTATION_ALERT, ROTATION_GAVE_UP_MESSAGE } from '@twiml-guard/core/rotation';
import { startKeyVaultRotationFake, type KeyVaultRotationFake } from '@twiml-guard/test-support/fakes/key-vault-fake';
import { ACCOUNT_SID, FIRST_TOKEN, collectingLogger } from '@twiml-guard/test-support/rotation-fixtures';
import {
  fakeTwilioClientOptions,
  startTwilioAccountsFake,
  type TwilioAccountsFake,
} from '@twiml-guard/test-support/fakes/twilio-accounts-fake';

const SECRET = 'twilio-auth-token';
let vault: KeyVaultRotationFake;
let twilioFake: TwilioAccountsFake;

beforeEach(async () => {
  vault = await startKeyVaultRotationFake(
    SECRET,
    JSON.stringify({ accountSid: ACCOUNT_SID, authToken: FIRST_TOKEN }),
    Math.floor(Date.now() / 1000) + 90 * 86_400,
  );
  twilioFake = await startTwilioAccountsFake(ACCOUNT_SID, FIRST_TOKEN);
  (vault.versions[0] as { tags: Record<string, string> }).tags = { 'rotation-requested': 'near-expiry-1' };
});
afterEach(async () => {
  await Promise.all([vault.close(), twilioFake.close()]);
});

const client = () => localKeyVaultClient(vault.url) as unknown as KeyVaultSecretWriter;

test.each([30, 7])('validityDays %i: refused before Twilio is touched', async (validityDays) => {
  const { logger, entries } = collectingLogger();
  const timer = keyVaultRotationTimer({
    secretName: SECRET,
    client: client(),
    validityDays,
    clientOptions: fakeTwilioClientOptions(twilioFake),
    cacheTtlMs: 0,
    settleMs: 0,
    logger,
  });
  await expect(timer()).rejects.toThrow(/more than 30 days/);
  expect(twilioFake.primaries).toEqual([FIRST_TOKEN]);
  expect(vault.versions).toHaveLength(1);
  expect(entries.filter((entry) => entry.level === 'error').map((entry) => [entry.msg, entry.alert])).toEqual([
    [ROTATION_GAVE_UP_MESSAGE, ROTATION_ALERT],
  ]);
  expect(JSON.stringify(entries)).not.toContain(FIRST_TOKEN);
});

test('validityDays 31: every version it writes expires after the near-expiry window', async () => {
  const timer = keyVaultRotationTimer({
    secretName: SECRET,
    client: client(),
    validityDays: 31,
    clientOptions: fakeTwilioClientOptions(twilioFake),
    cacheTtlMs: 0,
    settleMs: 0,
    logger: collectingLogger().logger,
  });
  expect(await timer()).toMatchObject({ status: 'rotated' });
  const nearExpiryFrom = Math.floor(Date.now() / 1000) + 30 * 86_400;
  for (const version of vault.versions.slice(1)) expect(version.exp).toBeGreaterThan(nearExpiryFrom);
});

/** When the token cache gives up on a slow Key Vault, getSecret is aborted, not left retrying (it honours Retry-After). */
import { keyVaultTokens, type KeyVaultSecretReader } from '@twiml-guard/azure-functions';
import { TokenStoreUnavailableError } from '@twiml-guard/core';

test('keyVaultTokens passes abortSignal to getSecret and aborts it at the cache timeout', async () => {
  const signals: (AbortSignal | undefined)[] = [];
  const client: KeyVaultSecretReader = {
    getSecret: (_name, options) => (signals.push(options?.abortSignal), new Promise(() => undefined)),
    listPropertiesOfSecretVersions: () => ({
      [Symbol.asyncIterator]: () => ({ next: () => Promise.resolve({ done: true as const, value: undefined }) }),
    }),
  };
  const source = keyVaultTokens({ secretName: 'twilio-auth-token', client, cache: { timeoutMs: 30 } });
  await expect(Promise.resolve(source.getTokens())).rejects.toBeInstanceOf(TokenStoreUnavailableError);
  expect(signals).toHaveLength(1);
  expect(signals[0]?.aborted).toBe(true);
});

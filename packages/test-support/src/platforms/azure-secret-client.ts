/** The real Key Vault client, talking to a local fake of Key Vault instead of Azure. */
import { SecretClient, type SecretClientOptions } from '@azure/keyvault-secrets';

/**
 * A real `SecretClient` for the vault at `vaultUrl` (a local fake over plain HTTP), with a credential
 * whose token does not expire during a test; no retries unless `retryOptions` says otherwise.
 */
export function localKeyVaultClient(vaultUrl: string, retryOptions: SecretClientOptions['retryOptions'] = { maxRetries: 0 }): SecretClient {
  return new SecretClient(
    vaultUrl,
    { getToken: async () => ({ token: 't', expiresOnTimestamp: Date.now() + 3.6e6 }) },
    { allowInsecureConnection: true, disableChallengeResourceVerification: true, retryOptions },
  );
}

/** The Azure adapter's name in log lines and its default token store, read from app settings on first use. */
import { TokenNotConfiguredError, type PlatformDefaults, type TokenSource } from '@twiml-guard/core';
import { keyVaultTokens } from './token-source.js';

/** The app setting naming the Key Vault (`https://NAME.vault.azure.net`) that holds the auth token. */
export const KEY_VAULT_URL_SETTING = 'TWILIO_AUTH_TOKEN_KEY_VAULT_URL';
/** The app setting naming the Key Vault secret that holds the auth token. */
export const SECRET_NAME_SETTING = 'TWILIO_AUTH_TOKEN_SECRET_NAME';

/**
 * The Key Vault token source the app settings describe, when they name a vault.
 * @param env - the environment to read
 * @returns a `keyVaultTokens` source, or `undefined` to fall back to `TWILIO_AUTH_TOKEN`
 */
export function defaultKeyVaultSource(env: NodeJS.ProcessEnv = process.env): TokenSource | undefined {
  const vaultUrl = env[KEY_VAULT_URL_SETTING];
  const secretName = env[SECRET_NAME_SETTING];
  if (!vaultUrl && !secretName) return undefined;
  if (!vaultUrl || !secretName) {
    const missing = vaultUrl ? SECRET_NAME_SETTING : KEY_VAULT_URL_SETTING;
    // Half a configuration is a mistake: say so instead of silently falling back to TWILIO_AUTH_TOKEN.
    return {
      description: 'key-vault (misconfigured)',
      getTokens: () => {
        throw new TokenNotConfiguredError(
          `${missing} is not set (Key Vault needs both ${KEY_VAULT_URL_SETTING} and ${SECRET_NAME_SETTING})`,
        );
      },
    };
  }
  return keyVaultTokens({ vaultUrl, secretName });
}

/** The Azure adapter's name, default token source and token help, for the core. */
export const azurePlatformDefaults: PlatformDefaults = {
  name: 'azure-functions',
  defaultTokenSource: () => defaultKeyVaultSource(),
  tokenHelp: `set the app settings ${KEY_VAULT_URL_SETTING} and ${SECRET_NAME_SETTING} (the function's managed identity needs the "Key Vault Secrets User" role)`,
};

import {
  cachedTokenSource,
  parseSecretPayload,
  TokenNotConfiguredError,
  type AuthTokenEntry,
  type CachedTokenSource,
  type TokenCacheOptions,
} from '@twiml-guard/core';
import { lazyClient, missingSecret, optionalPeerMissing } from '@twiml-guard/core/adapter';

/** The properties of a secret version this source reads (a subset of the SDK's `SecretProperties`). */
export interface KeyVaultVersionProperties {
  /** The version's id. */
  readonly version?: string;
  /** `false` for a disabled version (never used). */
  readonly enabled?: boolean;
  /** When the version was written. */
  readonly createdOn?: Date;
  /** After this, the version is not used. */
  readonly expiresOn?: Date;
  /** Before this, the version is not used. */
  readonly notBefore?: Date;
}

/** The part of `SecretClient` used here; a real `SecretClient` fits, tests and users may inject one. */
export interface KeyVaultSecretReader {
  /** Reads a secret's latest version, or the one named. */
  getSecret(
    name: string,
    options?: { version?: string; abortSignal?: AbortSignal },
  ): Promise<{ value?: string; properties: KeyVaultVersionProperties }>;
  /** Lists a secret's versions (for `previousVersion`). */
  listPropertiesOfSecretVersions(name: string): AsyncIterable<KeyVaultVersionProperties>;
}

/** The part of `@azure/identity`'s `TokenCredential` the SDK needs. */
export interface KeyVaultCredential {
  /** An access token for Key Vault. */
  getToken(scopes: string | string[], options?: unknown): Promise<{ token: string; expiresOnTimestamp: number } | null>;
}

/** Which Key Vault secret holds the Auth Token, and how to reach and cache it. */
export interface KeyVaultTokensOptions {
  /**
   * `https://<vault>.vault.azure.net`. Required unless `client` is given.
   * @default none
   */
  readonly vaultUrl?: string;
  /** The secret's name, or one per AccountSid (sub-accounts sign with their own token). */
  readonly secretName: string | ((accountSid?: string) => string);
  /**
   * A ready `SecretClient` (tests, custom pipelines).
   * @default a `SecretClient` for `vaultUrl`, created on the first request
   */
  readonly client?: KeyVaultSecretReader;
  /**
   * The credential the default client signs in with.
   * @default `DefaultAzureCredential` (the managed identity in Azure)
   */
  readonly credential?: KeyVaultCredential;
  /**
   * Also accept the newest older version that is still enabled and not expired, as the previous
   * token, while a rotation that writes plain-string versions settles. Costs a list call per refresh.
   * @default false
   */
  readonly previousVersion?: boolean;
  /**
   * How the tokens are cached.
   * @default `TokenCacheOptions` defaults (5 minutes TTL)
   */
  readonly cache?: TokenCacheOptions;
}

/**
 * Auth tokens from Azure Key Vault through the SDK (`@azure/keyvault-secrets` + `@azure/identity`,
 * loaded on first use), through the core cache. Not Key Vault references in app settings: App Service
 * re-reads those only every 24 hours, far too late for a rotation.
 * @param options - the vault and secret, and optionally a client, credential and cache settings
 * @returns a token source to pass as `authToken`
 * @example
 * ```ts
 * import { app } from '@azure/functions';
 * import { keyVaultTokens, twilioWebhook } from '@twiml-guard/azure-functions';
 *
 * app.http('sms', {
 *   methods: ['POST'],
 *   handler: twilioWebhook(handleSms, {
 *     authToken: keyVaultTokens({ vaultUrl: 'https://my-vault.vault.azure.net', secretName: 'twilio-auth-token' }),
 *   }),
 * });
 * ```
 */
export function keyVaultTokens(options: KeyVaultTokensOptions): CachedTokenSource {
  const getClient = lazyClient(() => createClient(options), options.client);
  const perAccount = typeof options.secretName === 'function';

  return cachedTokenSource(
    {
      perAccount,
      description: `key-vault:${typeof options.secretName === 'string' ? options.secretName : '(per account)'}`,
      prepare: async () => void (await getClient()),
      getTokens: async (accountSid, request) => {
        const reader = await getClient();
        const name = typeof options.secretName === 'function' ? options.secretName(accountSid) : options.secretName;
        let latest: Awaited<ReturnType<KeyVaultSecretReader['getSecret']>>;
        try {
          latest = await reader.getSecret(name, request?.signal ? { abortSignal: request.signal } : undefined);
        } catch (error) {
          if (!isNotFound(error)) throw error;
          return missingSecret(perAccount, `Key Vault secret "${name}"`);
        }
        if (latest.value === undefined) throw new TokenNotConfiguredError(`Key Vault secret "${name}" has no value`);
        const tokens: AuthTokenEntry[] = parseSecretPayload(latest.value, accountSid);
        if (options.previousVersion) {
          const previous = await previousVersionToken(reader, name, latest.properties.version, accountSid);
          if (previous) tokens.push(previous);
        }
        return tokens;
      },
    },
    options.cache,
  );
}

async function previousVersionToken(
  reader: KeyVaultSecretReader,
  name: string,
  currentVersion: string | undefined,
  accountSid: string | undefined,
): Promise<AuthTokenEntry | undefined> {
  const now = Date.now();
  let newest: KeyVaultVersionProperties | undefined;
  for await (const version of reader.listPropertiesOfSecretVersions(name)) {
    if (!version.version || version.version === currentVersion || version.enabled === false) continue;
    if (version.expiresOn && version.expiresOn.getTime() <= now) continue;
    if (version.notBefore && version.notBefore.getTime() > now) continue;
    if (!newest || (version.createdOn?.getTime() ?? 0) > (newest.createdOn?.getTime() ?? 0)) newest = version;
  }
  if (!newest?.version) return undefined;
  const secret = await reader.getSecret(name, { version: newest.version });
  if (secret.value === undefined) return undefined;
  const current = parseSecretPayload(secret.value, accountSid)[0];
  if (!current) return undefined;
  return { value: current.value, role: 'previous', ...(newest.expiresOn ? { expiresAt: newest.expiresOn.getTime() } : {}) };
}

async function createClient(options: KeyVaultTokensOptions): Promise<KeyVaultSecretReader> {
  if (!options.vaultUrl) throw new TokenNotConfiguredError('keyVaultTokens needs vaultUrl (or a client)');
  const { SecretClient } = await import('@azure/keyvault-secrets').catch(optionalPeerMissing('@azure/keyvault-secrets'));
  const credential =
    options.credential ?? new (await import('@azure/identity').catch(optionalPeerMissing('@azure/identity'))).DefaultAzureCredential();
  return new SecretClient(options.vaultUrl, credential as ConstructorParameters<typeof SecretClient>[1]);
}

function isNotFound(error: unknown): boolean {
  const { statusCode, code } = (error ?? {}) as { statusCode?: unknown; code?: unknown };
  return statusCode === 404 || code === 'SecretNotFound';
}

import {
  cachedTokenSource,
  parseSecretPayload,
  TokenNotConfiguredError,
  type AuthTokenEntry,
  type CachedTokenSource,
  type TokenCacheOptions,
} from '@twiml-guard/core';
import { lazyClient, missingSecret } from '@twiml-guard/core/adapter';
import { connected, createSecretManagerClient } from './secret-manager-client.js';

/** The part of `SecretManagerServiceClient` used here; the real client fits, tests and users may inject one. */
export interface SecretVersionReader {
  /** Reads one version of a secret. */
  accessSecretVersion(request: {
    name: string;
  }): Promise<readonly [{ name?: string | null; payload?: { data?: Uint8Array | string | null } | null }, ...unknown[]]>;
}

/** Which Secret Manager secret holds the Auth Token, and how to reach and cache it. */
export interface SecretManagerTokensOptions {
  /** `projects/PROJECT/secrets/SECRET` (`/versions/latest` is appended), or one per AccountSid. A name with `/versions/` is read as is. */
  readonly name: string | ((accountSid?: string) => string);
  /**
   * A ready client (tests, custom endpoints).
   * @default `new SecretManagerServiceClient()`, created on the first request
   */
  readonly client?: SecretVersionReader;
  /**
   * A version number or alias (e.g. `previous`) whose token stays accepted while a rotation that
   * writes plain-token versions settles. Missing or disabled: ignored. Remove the alias to end it.
   * @default none: only the latest version
   */
  readonly previousVersion?: string;
  /**
   * How the tokens are cached.
   * @default `TokenCacheOptions` defaults (5 minutes TTL)
   */
  readonly cache?: TokenCacheOptions;
}

/**
 * Auth tokens from Google Secret Manager through `@google-cloud/secret-manager` (loaded on first
 * use), through the core cache: the latest version's payload, plus optionally an older version or
 * alias during a rotation.
 * @param options - the secret, and optionally a client, a previous version and cache settings
 * @returns a token source to pass as `authToken`
 * @example
 * ```ts
 * import { secretManagerTokens, twilioWebhook } from '@twiml-guard/gcp-functions';
 *
 * export const sms = twilioWebhook(handleSms, {
 *   authToken: secretManagerTokens({ name: 'projects/my-project/secrets/twilio-auth-token' }),
 * });
 * ```
 */
export function secretManagerTokens(options: SecretManagerTokensOptions): CachedTokenSource {
  const getClient = lazyClient(createSecretManagerClient<SecretVersionReader>, options.client);
  const perAccount = typeof options.name === 'function';

  return cachedTokenSource(
    {
      perAccount,
      description: `secret-manager:${typeof options.name === 'string' ? options.name : '(per account)'}`,
      prepare: async () => void (await getClient()),
      getTokens: async (accountSid) => {
        const reader = await connected(await getClient());
        const secret = typeof options.name === 'function' ? options.name(accountSid) : options.name;
        const latestName = secret.includes('/versions/') ? secret : `${secret}/versions/latest`;
        let latest: string;
        try {
          latest = await readPayload(reader, latestName);
        } catch (error) {
          if (!isNotFound(error)) throw error;
          return missingSecret(perAccount, `Secret Manager secret ${latestName}`);
        }
        const tokens: AuthTokenEntry[] = parseSecretPayload(latest, accountSid);
        if (options.previousVersion) {
          const previous = await previousToken(
            reader,
            `${secret.replace(/\/versions\/.*$/, '')}/versions/${options.previousVersion}`,
            accountSid,
          );
          if (previous) tokens.push(previous);
        }
        return tokens;
      },
    },
    options.cache,
  );
}

async function previousToken(
  reader: SecretVersionReader,
  name: string,
  accountSid: string | undefined,
): Promise<AuthTokenEntry | undefined> {
  let payload: string;
  try {
    payload = await readPayload(reader, name);
  } catch (error) {
    if (isNotFound(error) || isDisabled(error)) return undefined;
    throw error;
  }
  const current = parseSecretPayload(payload, accountSid)[0];
  return current ? { value: current.value, role: 'previous' } : undefined;
}

async function readPayload(reader: SecretVersionReader, name: string): Promise<string> {
  const [version] = await reader.accessSecretVersion({ name });
  const data = version.payload?.data;
  if (data === undefined || data === null) throw new TokenNotConfiguredError(`Secret Manager version ${name} has no payload`);
  return typeof data === 'string' ? data : Buffer.from(data).toString('utf8');
}

/** gRPC NOT_FOUND is 5; the REST fallback reports the HTTP status. */
function isNotFound(error: unknown): boolean {
  const { code } = (error ?? {}) as { code?: unknown };
  return code === 5 || code === 404 || code === 'NOT_FOUND';
}

/** A disabled version: FAILED_PRECONDITION (9) over gRPC, 400 over REST. */
function isDisabled(error: unknown): boolean {
  const { code } = (error ?? {}) as { code?: unknown };
  return code === 9 || code === 400 || code === 'FAILED_PRECONDITION';
}

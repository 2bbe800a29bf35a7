import {
  cachedTokenSource,
  optionalPeerMissing,
  TokenNotConfiguredError,
  type CachedTokenSource,
  type TokenCacheOptions,
  type TokenList,
} from '@twiml-guard/core';
import { errorName, secretText, type AwsSdkClientLike } from './sdk-client.js';
import { stagedTokens } from './staged-tokens.js';

/** Which Secrets Manager secret holds the Auth Token, and how to reach and cache it. */
export interface SecretsManagerTokensOptions {
  /** Secret name or ARN; a function of the request's AccountSid for one secret per (sub-)account. */
  readonly secretId: string | ((accountSid?: string) => string);
  /**
   * A `SecretsManagerClient` (or anything with its `send`).
   * @default one created on the first request
   */
  readonly client?: AwsSdkClientLike;
  /**
   * Region for the default client.
   * @default the SDK's (`AWS_REGION` on Lambda)
   */
  readonly region?: string;
  /**
   * How the tokens are cached.
   * @default `TokenCacheOptions` defaults (5 minutes TTL)
   */
  readonly cache?: TokenCacheOptions;
}

type SecretsManagerSdk = typeof import('@aws-sdk/client-secrets-manager');

const loadSdk = (): Promise<SecretsManagerSdk> =>
  import('@aws-sdk/client-secrets-manager').catch(optionalPeerMissing('@aws-sdk/client-secrets-manager'));

/**
 * Auth tokens from AWS Secrets Manager: `AWSCURRENT` plus `AWSPENDING` (absent = no rotation), through
 * the core cache. The SDK (`@aws-sdk/client-secrets-manager`) loads on the first request, never at import.
 * The secret holds the token as plain text or as `{"accountSid","authToken"}` JSON.
 * @param options - the secret, and optionally a client, region and cache settings
 * @returns a token source to pass as `authToken`
 * @example
 * ```ts
 * import { secretsManagerTokens, twilioWebhook } from '@twiml-guard/aws-lambda';
 *
 * export const handler = twilioWebhook(handleSms, {
 *   authToken: secretsManagerTokens({ secretId: 'twilio/auth-token' }),
 * });
 * ```
 */
export function secretsManagerTokens(options: SecretsManagerTokensOptions): CachedTokenSource {
  let sdk: Promise<SecretsManagerSdk> | undefined;
  let client = options.client;
  const perAccount = typeof options.secretId === 'function';

  const readStage = async (
    module: SecretsManagerSdk,
    secretId: string,
    stage: 'AWSCURRENT' | 'AWSPENDING',
    signal?: AbortSignal,
  ): Promise<string | undefined> => {
    client ??= new module.SecretsManagerClient(options.region ? { region: options.region } : {});
    try {
      const output = (await client.send(
        new module.GetSecretValueCommand({ SecretId: secretId, VersionStage: stage }) as never,
        signal ? { abortSignal: signal } : undefined,
      )) as {
        SecretString?: unknown;
        SecretBinary?: unknown;
      };
      const text = secretText(output);
      if (text === undefined)
        throw new TokenNotConfiguredError(`Secrets Manager secret ${secretId} (${stage}) has neither SecretString nor SecretBinary`);
      return text;
    } catch (error) {
      if (errorName(error) === 'ResourceNotFoundException') return undefined;
      // A policy that grants AWSCURRENT only (a secretsmanager:VersionStage condition): no rotation overlap, not an outage.
      if (stage === 'AWSPENDING' && errorName(error) === 'AccessDeniedException') return undefined;
      throw error;
    }
  };

  return cachedTokenSource(
    {
      perAccount,
      description: `secrets-manager:${perAccount ? 'per-account' : (options.secretId as string)}`,
      prepare: async () => void (await (sdk ??= loadSdk())),
      async getTokens(accountSid, request): Promise<TokenList> {
        const secretId = typeof options.secretId === 'function' ? options.secretId(accountSid) : options.secretId;
        const module = await (sdk ??= loadSdk());
        const [current, pending] = await Promise.all([
          readStage(module, secretId, 'AWSCURRENT', request?.signal),
          readStage(module, secretId, 'AWSPENDING', request?.signal),
        ]);
        if (current === undefined) {
          // Per-account secrets: an unknown account simply has no token (403). A fixed secret that is missing is a deployment error.
          if (perAccount) return [];
          throw new TokenNotConfiguredError(`Secrets Manager secret ${secretId} was not found`);
        }
        return stagedTokens(current, pending, accountSid);
      },
    },
    options.cache,
  );
}

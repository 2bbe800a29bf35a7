import {
  cachedTokenSource,
  parseSecretPayload,
  TokenNotConfiguredError,
  type CachedTokenSource,
  type TokenCacheOptions,
  type TokenList,
  optionalPeerMissing,
} from '@twiml-guard/core';
import { errorName, type AwsSdkClientLike } from './sdk-client.js';

/** Which SSM parameter holds the Auth Token, and how to reach and cache it. */
export interface SsmParameterTokensOptions {
  /** Parameter name (may carry a `:version` or `:label` selector); a function of the AccountSid for one per account. */
  readonly name: string | ((accountSid?: string) => string);
  /**
   * An `SSMClient` (or anything with its `send`).
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

type SsmSdk = typeof import('@aws-sdk/client-ssm');

const loadSdk = (): Promise<SsmSdk> => import('@aws-sdk/client-ssm').catch(optionalPeerMissing('@aws-sdk/client-ssm'));

/**
 * Auth tokens from an SSM Parameter Store SecureString (decrypted). One value carries the whole rotation
 * state (`pendingAuthToken` / `previousAuthToken` in the JSON payload). The SDK (`@aws-sdk/client-ssm`)
 * loads on the first request.
 * @param options - the parameter, and optionally a client, region and cache settings
 * @returns a token source to pass as `authToken`
 * @example
 * ```ts
 * import { ssmParameterTokens, twilioWebhook } from '@twiml-guard/aws-lambda';
 *
 * export const handler = twilioWebhook(handleSms, { authToken: ssmParameterTokens({ name: '/twilio/auth-token' }) });
 * ```
 */
export function ssmParameterTokens(options: SsmParameterTokensOptions): CachedTokenSource {
  let sdk: Promise<SsmSdk> | undefined;
  let client = options.client;
  const perAccount = typeof options.name === 'function';

  return cachedTokenSource(
    {
      perAccount,
      description: `ssm:${perAccount ? 'per-account' : (options.name as string)}`,
      prepare: async () => void (await (sdk ??= loadSdk())),
      async getTokens(accountSid, request): Promise<TokenList> {
        const name = typeof options.name === 'function' ? options.name(accountSid) : options.name;
        const module = await (sdk ??= loadSdk());
        client ??= new module.SSMClient(options.region ? { region: options.region } : {});
        let value: unknown;
        try {
          const output = (await client.send(
            new module.GetParameterCommand({ Name: name, WithDecryption: true }) as never,
            request?.signal ? { abortSignal: request.signal } : undefined,
          )) as { Parameter?: { Value?: unknown } };
          value = output.Parameter?.Value;
        } catch (error) {
          if (errorName(error) !== 'ParameterNotFound') throw error;
          if (perAccount) return [];
          throw new TokenNotConfiguredError(`SSM parameter ${name} was not found`);
        }
        if (typeof value !== 'string') throw new TokenNotConfiguredError(`SSM parameter ${name} has no value`);
        return parseSecretPayload(value, accountSid);
      },
    },
    options.cache,
  );
}

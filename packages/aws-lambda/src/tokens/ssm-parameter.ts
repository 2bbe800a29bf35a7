/**
 * Auth tokens from an SSM Parameter Store SecureString (decrypted). One value carries the whole rotation
 * state (`pendingAuthToken` / `previousAuthToken` in the JSON payload). SDK loaded on first use.
 */
import { cachedTokenSource, parseSecretPayload, TokenNotConfiguredError, type CachedTokenSource, type TokenCacheOptions, type TokenList, optionalPeerMissing } from '@twiml-guard/core';
import { errorName, type AwsSdkClientLike } from './sdk-client.js';

export interface SsmParameterTokensOptions {
  /** Parameter name (may carry a `:version` or `:label` selector); a function of the AccountSid for one per account. */
  readonly name: string | ((accountSid?: string) => string);
  /** An `SSMClient` (or anything with its `send`). Default: one created on first use. */
  readonly client?: AwsSdkClientLike;
  readonly region?: string;
  readonly cache?: TokenCacheOptions;
}

type SsmSdk = typeof import('@aws-sdk/client-ssm');

const loadSdk = (): Promise<SsmSdk> => import('@aws-sdk/client-ssm').catch(optionalPeerMissing('@aws-sdk/client-ssm'));

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
          const output = (await client.send(new module.GetParameterCommand({ Name: name, WithDecryption: true }) as never, request?.signal ? { abortSignal: request.signal } : undefined)) as { Parameter?: { Value?: unknown } };
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

import {
  cachedTokenSource,
  TokenNotConfiguredError,
  type CachedTokenSource,
  type TokenCacheOptions,
  type TokenList,
} from '@twiml-guard/core';
import { secretText } from './sdk-client.js';
import { stagedTokens } from './staged-tokens.js';

/** Which secret the Parameters and Secrets extension serves, and how to reach and cache it. */
export interface LambdaExtensionTokensOptions {
  /** Secret name or ARN; a function of the request's AccountSid for one secret per (sub-)account. */
  readonly secretId: string | ((accountSid?: string) => string);
  /**
   * The extension's port on localhost.
   * @default the `PARAMETERS_SECRETS_EXTENSION_HTTP_PORT` environment variable, else 2773
   */
  readonly port?: number;
  /**
   * Time allowed for each HTTP call to the extension, in milliseconds.
   * @default 2000
   */
  readonly timeoutMs?: number;
  /**
   * How the tokens are cached (on top of the extension's own cache).
   * @default `TokenCacheOptions` defaults (5 minutes TTL)
   */
  readonly cache?: TokenCacheOptions;
}

/**
 * Auth tokens through the AWS Parameters and Secrets Lambda Extension (a layer serving Secrets Manager on
 * localhost, with its own cache of up to 300 s). Same staging as `secretsManagerTokens`; no SDK at all.
 * @param options - the secret, and optionally the port, timeout and cache settings
 * @returns a token source to pass as `authToken`
 * @example
 * ```ts
 * import { lambdaExtensionTokens, twilioWebhook } from '@twiml-guard/aws-lambda';
 *
 * export const handler = twilioWebhook(handleSms, { authToken: lambdaExtensionTokens({ secretId: 'twilio/auth-token' }) });
 * ```
 */
export function lambdaExtensionTokens(options: LambdaExtensionTokensOptions): CachedTokenSource {
  const perAccount = typeof options.secretId === 'function';

  const readStage = async (secretId: string, stage: 'AWSCURRENT' | 'AWSPENDING', abandoned?: AbortSignal): Promise<string | undefined> => {
    const sessionToken = process.env.AWS_SESSION_TOKEN;
    if (!sessionToken)
      throw new TokenNotConfiguredError('AWS_SESSION_TOKEN is not set: the Parameters and Secrets extension answers only inside Lambda');
    const port = options.port ?? (Number(process.env.PARAMETERS_SECRETS_EXTENSION_HTTP_PORT) || 2773);
    const response = await fetch(
      `http://localhost:${port}/secretsmanager/get?secretId=${encodeURIComponent(secretId)}&versionStage=${stage}`,
      {
        headers: { 'X-Aws-Parameters-Secrets-Token': sessionToken },
        signal: abandoned
          ? AbortSignal.any([abandoned, AbortSignal.timeout(options.timeoutMs ?? 2000)])
          : AbortSignal.timeout(options.timeoutMs ?? 2000),
      },
    );
    const text = await response.text();
    if (response.ok) {
      let output: { SecretString?: unknown; SecretBinary?: unknown };
      try {
        output = JSON.parse(text) as typeof output;
      } catch {
        // Not the parser's message: it quotes the start of the text, which may be the secret.
        throw new Error(`Parameters and Secrets extension answered HTTP ${response.status} with a body that is not JSON`);
      }
      const secret = secretText(output);
      if (secret === undefined)
        throw new TokenNotConfiguredError(`secret ${secretId} (${stage}) has neither SecretString nor SecretBinary`);
      return secret;
    }
    // The extension relays Secrets Manager's error; a missing version is "no rotation in progress".
    if (response.status === 404 || (response.status === 400 && text.includes('ResourceNotFoundException'))) return undefined;
    throw new Error(`Parameters and Secrets extension answered HTTP ${response.status}`);
  };

  return cachedTokenSource(
    {
      perAccount,
      description: `lambda-extension:${perAccount ? 'per-account' : (options.secretId as string)}`,
      async getTokens(accountSid, request): Promise<TokenList> {
        const secretId = typeof options.secretId === 'function' ? options.secretId(accountSid) : options.secretId;
        const [current, pending] = await Promise.all([
          readStage(secretId, 'AWSCURRENT', request?.signal),
          readStage(secretId, 'AWSPENDING', request?.signal),
        ]);
        if (current === undefined) {
          if (perAccount) return [];
          throw new TokenNotConfiguredError(`secret ${secretId} was not found (through the Parameters and Secrets extension)`);
        }
        return stagedTokens(current, pending, accountSid);
      },
    },
    options.cache,
  );
}

/** Turns the `authToken` option (or its absence) into the one `TokenSource` the pipeline asks. */
import { cachedTokenSource } from './cached-token-source.js';
import { envTokens, staticTokens } from './static-tokens.js';
import type { TokenList, TokenSource } from './token-source.js';

export type AuthTokenOption =
  | string
  | TokenList
  | TokenSource
  | ((accountSid?: string) => string | TokenList | Promise<string | TokenList>);

export function isTokenSource(value: unknown): value is TokenSource {
  return typeof value === 'object' && value !== null && typeof (value as TokenSource).getTokens === 'function';
}

export function resolveTokenSource(option: AuthTokenOption | undefined, platformDefault?: () => TokenSource | undefined): TokenSource {
  if (option === undefined) {
    // A platform store is remote: cache it. The environment is local: read it each time.
    const store = platformDefault?.();
    return store ? cachedTokenSource(store) : envTokens();
  }
  if (typeof option === 'string' || Array.isArray(option)) return staticTokens(option as string | TokenList);
  if (isTokenSource(option)) return option;
  if (typeof option === 'function') {
    const lookup = option;
    return cachedTokenSource({
      description: 'authToken function',
      getTokens: async (accountSid) => {
        const result = await lookup(accountSid);
        return typeof result === 'string' ? [result] : result;
      },
    });
  }
  return staticTokens([]);
}

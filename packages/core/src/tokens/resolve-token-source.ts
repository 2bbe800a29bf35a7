/** Turns the `authToken` option (or its absence) into the one `TokenSource` the pipeline asks. */
import { cachedTokenSource } from './cached-token-source.js';
import { checkedTokenList } from './checked-token-list.js';
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
        // `async () => env.TWILIO_AUTH_TOKEN` with the binding missing resolves to undefined: 500 with help, never a TypeError.
        const result: unknown = await lookup(accountSid);
        return checkedTokenList(result, { description: 'the authToken function', emptyMeansUnknownAccount: accountSid !== undefined });
      },
    });
  }
  return staticTokens([]);
}

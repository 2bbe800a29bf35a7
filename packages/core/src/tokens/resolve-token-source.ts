/** Turns the `authToken` option (or its absence) into the one `TokenSource` the pipeline asks. */
import { cachedTokenSource } from './cached-token-source.js';
import { checkedTokenList } from './checked-token-list.js';
import { envTokens, staticTokens } from './static-tokens.js';
import type { TokenList, TokenSource } from './token-source.js';

/**
 * What the `authToken` option accepts: a token, a list of tokens (every one is accepted, for
 * rotation), a `TokenSource`, or a function of the request's AccountSid that returns token(s).
 */
export type AuthTokenOption =
  | string
  | TokenList
  | TokenSource
  | ((accountSid?: string) => string | TokenList | Promise<string | TokenList>);

export function isTokenSource(value: unknown): value is TokenSource {
  return typeof value === 'object' && value !== null && typeof (value as TokenSource).getTokens === 'function';
}

/**
 * The one `TokenSource` the pipeline asks, from the `authToken` option or its absence.
 * @param option - the `authToken` option as the user gave it
 * @param platformDefault - the adapter's secret store, used (cached) when the option is unset
 * @returns the source the pipeline asks: `TWILIO_AUTH_TOKEN` when there is neither
 */
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

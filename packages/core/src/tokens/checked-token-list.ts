/**
 * What a token source returned, checked before anything reads it: a source is user code (or a secret
 * store) and may return anything. The answer is always the documented one: tokens to verify with, or
 * `TokenNotConfiguredError` (500, "no auth token configured"), never a TypeError inside the pipeline.
 */
import { isWellFormedToken, TokenNotConfiguredError, type TokenList } from './token-source.js';

function describeResult(result: unknown): string {
  if (result === null) return 'null';
  if (Array.isArray(result)) return result.length === 0 ? 'an empty list' : 'a list without a usable token';
  if (typeof result === 'string') return 'an empty string';
  return typeof result === 'object' ? 'an object that is not a list' : String(typeof result);
}

export interface TokenListContext {
  /** Where the tokens came from, for the log line. Never a token. */
  readonly description?: string;
  /**
   * An empty list for a named account means that account is unknown (403, as before). Without an
   * AccountSid, or from a one-secret source, an empty list is a deployment mistake (500).
   */
  readonly emptyMeansUnknownAccount: boolean;
}

/**
 * The usable part of `result`: a list keeps its well-formed tokens; a bare non-empty string is one token.
 * Throws `TokenNotConfiguredError` for nothing usable (undefined, '', a number, a list of garbage).
 */
export function checkedTokenList(result: unknown, context: TokenListContext): TokenList {
  if (typeof result === 'string' && result !== '') return [result];
  if (Array.isArray(result)) {
    if (result.length === 0 && context.emptyMeansUnknownAccount) return result as TokenList;
    // The usual list is all well formed: returned as is, no copy on the warm path.
    if (result.length > 0 && (result as unknown[]).every(isWellFormedToken)) return result as TokenList;
    const usable = (result as unknown[]).filter(isWellFormedToken);
    if (usable.length > 0) return usable;
  }
  throw new TokenNotConfiguredError(`${context.description ?? 'the token source'} returned ${describeResult(result)}`);
}

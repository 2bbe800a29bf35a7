/**
 * A bound on how long the pipeline waits for a token source the cache does not wrap (a `TokenSource`
 * passed as `authToken` is used as is). Without it, a store call that never settles held the
 * invocation until the platform killed it; Twilio gives up after 15 s, so an answer after 10 s is lost anyway.
 */
import { CachedTokenSource } from './cached-token-source.js';
import { TokenStoreUnavailableError, type TokenSource } from './token-source.js';

export const UNCACHED_SOURCE_TIMEOUT_MS = 10_000;

/** `answer` itself for the cache (it has its own `timeoutMs`), else `answer` or a 503-shaped rejection after the bound. */
export function boundedAnswer<T>(source: TokenSource, answer: T | PromiseLike<T>, what: string): Promise<T> {
  const settles = typeof (answer as { then?: unknown } | null | undefined)?.then === 'function';
  if (source instanceof CachedTokenSource || !settles) return Promise.resolve(answer);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(
        new TokenStoreUnavailableError(
          `${source.description ? `token source ${source.description}` : 'the token source'}: no answer to ${what} within ${UNCACHED_SOURCE_TIMEOUT_MS} ms`,
        ),
      );
    }, UNCACHED_SOURCE_TIMEOUT_MS);
  });
  return Promise.race([answer, timeout]).finally(() => clearTimeout(timer));
}

/**
 * On Node the crypto primitives answer synchronously (node:crypto); on web-standard runtimes
 * `crypto.subtle` answers with promises. Shared code takes either and awaits only when it must,
 * so the Node path costs no extra microtask.
 */
// Through the path the web build rewrites to web.ts (scripts/build.mjs matches /crypto/index.js).
import { cryptoRuntime } from '../crypto/index.js';

import type { MaybePromise } from './maybe-promise.js';

export type { MaybePromise };

export function isPromise<T>(value: MaybePromise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

export function andThen<T, U>(value: MaybePromise<T>, next: (resolved: T) => MaybePromise<U>): MaybePromise<U> {
  return isPromise(value) ? value.then(next) : next(value);
}

/** Both values, in order; a promise only when one of them is. */
export function both<A, B>(first: MaybePromise<A>, second: MaybePromise<B>): MaybePromise<[A, B]> {
  if (!isPromise(first) && !isPromise(second)) return [first, second];
  return Promise.all([first, second]);
}

/**
 * The synchronous drop-in API (twilio-node's `validateRequest` and friends) needs node:crypto. On a
 * web-standard runtime it throws this error, naming the asynchronous export to use instead.
 */
export function syncResult<T>(value: MaybePromise<T>, name: string, asyncName: string): T {
  if (!isPromise(value) && cryptoRuntime === 'node') return value;
  // On the web build it throws even when the answer needed no crypto (an empty token, a malformed
  // signature): a call that returns false to curl and throws for Twilio would fail only in production.
  if (isPromise(value)) value.catch(() => undefined);
  throw new Error(
    `${name}() is synchronous and needs node:crypto, which this runtime does not provide: use ${asyncName}() (same arguments, returns a Promise)`,
  );
}

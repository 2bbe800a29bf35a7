/** A value, or a promise of it: synchronous on node:crypto, a promise on WebCrypto. A leaf, so node.ts and web.ts never import maybe.ts (which imports them). */
export type MaybePromise<T> = T | Promise<T>;

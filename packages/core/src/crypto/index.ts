/**
 * The one place the core gets its crypto and byte encodings from. This file points at the Node
 * implementation; the web build (scripts/build.mjs) resolves it to `web.ts` instead, which exports
 * the same names on WebCrypto. Nothing else in the core imports node:crypto or uses Buffer.
 */
export * from './node.js';

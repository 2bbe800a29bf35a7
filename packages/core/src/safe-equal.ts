import { sha256Bytes, timingSafeEqualBytes, utf8Bytes } from './crypto/index.js';
import { both, andThen, syncResult, type MaybePromise } from './crypto/maybe.js';

/** Constant-time string compare. The length may leak; for signatures and hashes it is fixed and public. */
export function safeEqual(a: string, b: string): boolean {
  return timingSafeEqualBytes(utf8Bytes(a), utf8Bytes(b));
}

/**
 * For secrets of any length (passwords): compares SHA-256 digests, so not even the length leaks.
 * Node only (synchronous); everywhere: `safeEqualSecretAsync`.
 */
export function safeEqualSecret(a: string, b: string): boolean {
  return syncResult(safeEqualSecretMaybe(a, b), 'safeEqualSecret', 'safeEqualSecretAsync');
}

/** `safeEqualSecret` on every runtime: compares SHA-256 digests in constant time. */
export async function safeEqualSecretAsync(a: string, b: string): Promise<boolean> {
  return safeEqualSecretMaybe(a, b);
}

/** The comparison, synchronous where the hash is (the pipeline's shared path). */
export function safeEqualSecretMaybe(a: string, b: string): MaybePromise<boolean> {
  return andThen(both(sha256Bytes(a), sha256Bytes(b)), ([left, right]) => timingSafeEqualBytes(left, right));
}

import { createHash, timingSafeEqual } from 'node:crypto';

/** Constant-time string compare. The length may leak; for signatures and hashes it is fixed and public. */
export function safeEqual(a: string, b: string): boolean {
  // Buffer.from: several times faster than TextEncoder for short strings, same UTF-8 bytes.
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

/** For secrets of any length (passwords): compares SHA-256 digests, so not even the length leaks. */
export function safeEqualSecret(a: string, b: string): boolean {
  const left = createHash('sha256').update(a, 'utf8').digest();
  const right = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(left, right);
}

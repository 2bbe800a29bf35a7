import { timingSafeEqual } from 'node:crypto';

const encoder = new TextEncoder();

/** Constant-time string compare. The length may leak; for signatures and hashes it is fixed and public. */
export function safeEqual(a: string, b: string): boolean {
  const left = encoder.encode(a);
  const right = encoder.encode(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

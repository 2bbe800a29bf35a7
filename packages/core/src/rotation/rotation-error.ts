import { brand, isBranded } from '../cross-copy-brand.js';

const ROTATION_FAILED = Symbol.for('@twiml-guard/core:RotationError');
const ROTATION_IN_PROGRESS = Symbol.for('@twiml-guard/core:RotationInProgressError');

/**
 * A rotation that cannot go on by itself (Twilio refuses the stored tokens, the secret is not the
 * rotation's): retrying does not help, a person must look. `logRotationFailure` logs it with the
 * `twilio-auth-token-rotation` alert. The message says what to check; it never contains a token.
 * `instanceof` recognises one thrown by another copy of core (its CommonJS or ES module build).
 */
export class RotationError extends Error {
  override readonly name = 'RotationError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    brand(this, ROTATION_FAILED);
  }
  static override [Symbol.hasInstance]<T>(this: abstract new (...args: never[]) => T, value: unknown): value is T {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class instanceof was called on (a subclass keeps its own check)
    return isBranded(this, RotationError, ROTATION_FAILED, value);
  }
}

/**
 * Another run holds the rotation of this secret: retry later (a redelivery), nothing is wrong.
 * `logRotationFailure` logs it as a warning. Recognised across copies of core, as `RotationError` is.
 */
export class RotationInProgressError extends Error {
  override readonly name = 'RotationInProgressError';
  constructor(message?: string, options?: { cause?: unknown }) {
    super(message, options);
    brand(this, ROTATION_IN_PROGRESS);
  }
  static override [Symbol.hasInstance]<T>(this: abstract new (...args: never[]) => T, value: unknown): value is T {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class instanceof was called on (a subclass keeps its own check)
    return isBranded(this, RotationInProgressError, ROTATION_IN_PROGRESS, value);
  }
}

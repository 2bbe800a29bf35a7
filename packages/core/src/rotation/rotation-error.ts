/**
 * A rotation that cannot go on by itself (Twilio refuses the stored tokens, the secret is not the
 * rotation's): retrying does not help, a person must look. `logRotationFailure` logs it with the
 * `twilio-auth-token-rotation` alert. The message says what to check; it never contains a token.
 */
export class RotationError extends Error {
  override readonly name = 'RotationError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * Another run holds the rotation of this secret: retry later (a redelivery), nothing is wrong.
 * `logRotationFailure` logs it as a warning.
 */
export class RotationInProgressError extends Error {
  override readonly name = 'RotationInProgressError';
}

/** A rotation that cannot go on by itself. The message says what to check; it never contains a token. */
export class RotationError extends Error {
  override readonly name = 'RotationError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Another run holds the rotation of this secret: retry later (a redelivery), nothing is wrong. */
export class RotationInProgressError extends Error {
  override readonly name = 'RotationInProgressError';
}

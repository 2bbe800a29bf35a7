import { readBoundedBody } from '@twiml-guard/core';

/** The body as bytes, read once, stopping just past the size limit so a huge body is never buffered whole. */
export function readBodyBytes(request: Request, limit: number): Promise<Uint8Array> {
  return readBoundedBody(request.body, limit);
}

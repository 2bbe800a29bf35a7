/** What a web `ReadableStream` of bytes offers here, structurally (DOM and `node:stream/web` streams both fit). */
export interface ByteStream {
  getReader(): { read(): Promise<{ done: boolean; value?: Uint8Array }>; cancel(reason?: unknown): Promise<void> };
}

/**
 * Reads a web-standard body stream (fetch runtimes, Azure's HttpRequest) as bytes, stopping just past
 * `limit`: an endless or huge body is never buffered whole, and the pipeline answers 413.
 * @param body - the request's body stream, if any
 * @param limit - the most bytes wanted; the result is longer than this only when the body is too large
 * @returns the bytes read (an empty array when there is no body)
 */
export async function readBoundedBody(body: ByteStream | null | undefined, limit: number): Promise<Uint8Array> {
  if (!body) return new Uint8Array(0);
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done || value === undefined) break;
    chunks.push(value);
    total += value.byteLength;
    if (total > limit) {
      // Not awaited: cancelling one branch of a cloned body settles only when the other is cancelled too.
      void reader.cancel().catch(() => undefined);
      break;
    }
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/** Lower-cased request headers; the multi-value map wins when present (it keeps duplicates the single map drops). */
import { normalizeHeaders } from '@twiml-guard/core/adapter';
import type { HeaderMap, MultiValueHeaderMap } from '../events.js';

export function eventHeaders(event: {
  readonly headers?: HeaderMap | null;
  readonly multiValueHeaders?: MultiValueHeaderMap | null;
}): Record<string, string | string[]> {
  const multi = event.multiValueHeaders;
  if (multi && Object.keys(multi).length > 0) return normalizeHeaders(multi);
  return normalizeHeaders(event.headers ?? {});
}

export function usedMultiValueHeaders(event: unknown): boolean {
  const multi = (event as { multiValueHeaders?: unknown } | null)?.multiValueHeaders;
  return typeof multi === 'object' && multi !== null;
}

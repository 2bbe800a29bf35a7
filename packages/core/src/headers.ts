import type { HeaderValue, WebhookHeaders } from './types.js';

const hasOwn = (map: object, name: string): boolean => Object.hasOwn(map, name);

/** A header's own value: a name like `constructor` or `__proto__` never reads what a prototype holds. */
function ownHeader(headers: WebhookHeaders, name: string): HeaderValue {
  return hasOwn(headers, name) ? headers[name] : undefined;
}

/** The single value of a header, or `undefined`; several different values are reported as ambiguous. */
export function singleHeader(headers: WebhookHeaders, name: string): { value?: string; ambiguous: boolean } {
  const raw = ownHeader(headers, name);
  if (raw === undefined) return { ambiguous: false };
  if (typeof raw === 'string') return { value: raw, ambiguous: false };
  const distinct = new Set(raw);
  if (distinct.size === 0) return { ambiguous: false };
  if (distinct.size > 1) return { ambiguous: true };
  return { value: raw[0], ambiguous: false };
}

/**
 * The first value of a header, or `undefined` when it is absent.
 * @param headers - lower-case header names
 * @param name - the lower-case name to read
 */
export function firstHeader(headers: WebhookHeaders, name: string): string | undefined {
  const raw = ownHeader(headers, name);
  return typeof raw === 'string' ? raw : raw?.[0];
}

/**
 * Lower-cases names and drops undefined values; adapters call this on whatever their platform hands them.
 * The map has no prototype: a header named `__proto__` (twice, in a multi-value event) or `constructor`
 * is a plain entry, never the map's prototype or an inherited function.
 */
export function normalizeHeaders(
  input: Record<string, HeaderValue | number | null> | Iterable<[string, string]>,
): Record<string, string | string[]> {
  const out = Object.create(null) as Record<string, string | string[]>;
  const entries = Symbol.iterator in input ? (input as Iterable<[string, string]>) : Object.entries(input as Record<string, unknown>);
  for (const [name, value] of entries) {
    if (value === undefined || value === null) continue;
    const key = name.toLowerCase();
    // A hand-made event may hold anything here ({"toString": []} makes String() throw): only text counts.
    const values = (Array.isArray(value) ? (value as unknown[]) : [value])
      .map(headerText)
      .filter((text): text is string => text !== undefined);
    if (values.length === 0) continue;
    const existing = out[key];
    if (existing === undefined) out[key] = values.length === 1 ? (values[0] as string) : values;
    else out[key] = [...(Array.isArray(existing) ? existing : [existing]), ...values];
  }
  return out;
}

/** A header value as text: strings as they are, numbers and booleans written out, anything else none. */
function headerText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return undefined;
}

/** Query strings rebuilt by string concatenation (docs/design.md, rule 1), from the two forms Lambda events carry. */
import { encodeFormComponent } from '@twiml-guard/core';
import type { MultiValueQueryMap, QueryMap } from '../events.js';

/** ALB: values arrive still percent-encoded, so `k=v` joined in order reproduces what the caller sent. */
export function rawQuery(single: QueryMap | null | undefined, multi: MultiValueQueryMap | null | undefined): string {
  const pairs: string[] = [];
  if (multi) {
    for (const [key, values] of Object.entries(multi)) for (const value of listOf(values)) pairs.push(`${key}=${value}`);
  } else if (single) {
    for (const [key, value] of Object.entries(single)) if (typeof value === 'string') pairs.push(`${key}=${value}`);
  }
  return pairs.length ? `?${pairs.join('&')}` : '';
}

/**
 * API Gateway payload 1.0: values arrive decoded and the original order and escaping are gone, so
 * this is a best effort (keys in event order, encoded as Twilio encodes a form, spaces as `+`) that a
 * urlNote explains. A URL configured with `%20` still validates through the core's legacy variant.
 */
export function reencodedQuery(single: QueryMap | null | undefined, multi: MultiValueQueryMap | null | undefined): string {
  const pairs: string[] = [];
  if (multi) {
    for (const [key, values] of Object.entries(multi))
      for (const value of listOf(values)) pairs.push(`${encodeFormComponent(key)}=${encodeFormComponent(value)}`);
  } else if (single) {
    for (const [key, value] of Object.entries(single))
      if (typeof value === 'string') pairs.push(`${encodeFormComponent(key)}=${encodeFormComponent(value)}`);
  }
  return pairs.length ? `?${pairs.join('&')}` : '';
}

/** A hand-made or corrupted event may carry anything here: only strings count. */
function listOf(values: unknown): string[] {
  return Array.isArray(values) ? values.filter((value): value is string => typeof value === 'string') : [];
}

export const REST_QUERY_NOTE =
  'API Gateway payload 1.0 hands over the query string parsed (order and escaping lost): the query in this URL is re-serialised; if validation fails set the url option (or baseUrl) to the exact URL configured in Twilio';

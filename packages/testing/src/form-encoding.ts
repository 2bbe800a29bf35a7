/**
 * Webhook fields as Twilio sends them, encoded with the core's form encoder (the WHATWG serializer:
 * spaces as `+`, only `A-Z a-z 0-9 * - . _` left bare).
 */

import { encodeFormComponent, toWellFormed } from '@twiml-guard/core';

export { encodeFormComponent, toWellFormed };

/** A field value as tests write it; numbers and booleans are sent as their text. */
export type ParamValue = string | number | boolean;
/** Webhook fields; an array value is a key Twilio repeats (sent in array order). */
export type WebhookParams = Readonly<Record<string, ParamValue | readonly ParamValue[]>>;

/** Every field as the strings the receiver will decode, arrays flattened in order. */
export function paramPairs(params: WebhookParams): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (const [key, value] of Object.entries(params)) {
    const values: readonly ParamValue[] = Array.isArray(value) ? value : [value as ParamValue];
    for (const item of values) pairs.push([toWellFormed(key), toWellFormed(String(item))]);
  }
  return pairs;
}

/**
 * Webhook fields as the body Twilio would send: `key=value` pairs, repeated keys in array order.
 * @param params - the fields
 */
export function encodeFormBody(params: WebhookParams): string {
  return paramPairs(params)
    .map(([key, value]) => `${encodeFormComponent(key)}=${encodeFormComponent(value)}`)
    .join('&');
}

/** The same fields as core's signer sees them after the receiver parses the body: strings, repeats as arrays. */
export function signedParams(params: WebhookParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = Object.create(null) as Record<string, string | string[]>;
  for (const [key, value] of paramPairs(params)) {
    const existing = out[key];
    if (existing === undefined) out[key] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else out[key] = [existing, value];
  }
  return out;
}

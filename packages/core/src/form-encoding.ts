/**
 * `application/x-www-form-urlencoded` the way Twilio writes it (the WHATWG serializer): UTF-8
 * percent-encoding, a space as `+`, only `A-Z a-z 0-9 * - . _` left bare. Adapters that must rebuild
 * a query or body from parsed values (API Gateway payload 1.0, Twilio Functions) and the simulator use it.
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Lone surrogates cannot be UTF-8 encoded; like URLSearchParams, write U+FFFD instead. Never throws. */
export function toWellFormed(text: string): string {
  return text.replace(LONE_SURROGATE, '\uFFFD');
}

/** One key or value encoded as Twilio encodes form bodies: space as `+`, and `!'()~` escaped too. */
export function encodeFormComponent(text: string): string {
  return encodeURIComponent(toWellFormed(text))
    .replace(/[!'()~]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}

/** `key=value` pairs joined by `&`, in the given order; an array becomes one pair per element. */
export function encodeFormBody(params: Readonly<Record<string, string | readonly string[]>>): string {
  const pairs: string[] = [];
  for (const [key, value] of Object.entries(params)) {
    for (const item of typeof value === 'string' ? [value] : value) pairs.push(`${encodeFormComponent(key)}=${encodeFormComponent(item)}`);
  }
  return pairs.join('&');
}

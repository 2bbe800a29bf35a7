/**
 * The Runtime hands parsed parameters, never the raw body, so the form body the core verifies is
 * rebuilt from them. Signatures cover decoded keys and values (sorted), not the wire encoding, so
 * any encoding the core's parser reads back to the same parameters is exact enough.
 */
const encoder = new TextEncoder();
const UNRESERVED = /[A-Za-z0-9\-_.~]/;

/**
 * Percent-encodes the UTF-8 bytes of every character but the unreserved ones, and a space as `+`
 * (a GET URL configured with `+` must be rebuilt with it; `%20` still validates through the core's
 * legacy-querystring variant). Never throws (lone surrogates become U+FFFD).
 */
export function encodeFormComponent(value: string): string {
  let out = '';
  for (const character of value) {
    if (UNRESERVED.test(character)) {
      out += character;
      continue;
    }
    if (character === ' ') {
      out += '+';
      continue;
    }
    for (const byte of encoder.encode(character)) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** `key=value` pairs joined by `&`, in the given order; an array becomes one pair per element. */
export function encodeFormBody(params: Readonly<Record<string, string | readonly string[]>>): string {
  const pairs: string[] = [];
  for (const [key, value] of Object.entries(params)) {
    const values = typeof value === 'string' ? [value] : value;
    for (const item of values) pairs.push(`${encodeFormComponent(key)}=${encodeFormComponent(item)}`);
  }
  return pairs.join('&');
}

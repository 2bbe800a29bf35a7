/**
 * A byte-exact replica of `querystring.stringify(querystring.parse(query))` from Node's legacy
 * `querystring` module. twilio-node uses that round trip as its last URL fallback (issue #1059);
 * we rebuild it here so the core needs nothing but `node:crypto`.
 */

/** Node's `querystring.parse` stops after this many pairs (empty ones count): the rest of the query is dropped. */
export const LEGACY_QUERY_MAX_PAIRS = 1000;
const VALID_ESCAPE = /%[0-9A-Fa-f]{2}/;

export function reencodeLegacyQuery(query: string): string {
  const grouped = new Map<string, string[]>();
  let pairs = 0;
  for (const piece of query.split('&')) {
    if (pairs === LEGACY_QUERY_MAX_PAIRS) break;
    pairs++;
    if (piece.length === 0) continue;
    const eq = piece.indexOf('=');
    const rawKey = eq === -1 ? piece : piece.slice(0, eq);
    const rawValue = eq === -1 ? '' : piece.slice(eq + 1);
    const { keyEncoded, valueEncoded } = nodeEscapeScan(rawKey, rawValue);
    const key = unescapeLegacy(rawKey, keyEncoded);
    const value = unescapeLegacy(rawValue, valueEncoded);
    const values = grouped.get(key);
    if (values) values.push(value);
    else grouped.set(key, [value]);
  }
  const out: string[] = [];
  for (const [key, values] of inObjectKeyOrder(grouped)) {
    const encodedKey = escapeLegacy(key);
    for (const value of values) out.push(`${encodedKey}=${escapeLegacy(value)}`);
  }
  return out.join('&');
}

/** Node builds a plain object, so array-index keys ("0", "7") come out first, in numeric order. */
function inObjectKeyOrder(grouped: Map<string, string[]>): [string, string[]][] {
  const indexKeys: [string, string[]][] = [];
  const otherKeys: [string, string[]][] = [];
  for (const entry of grouped) (isArrayIndex(entry[0]) ? indexKeys : otherKeys).push(entry);
  indexKeys.sort((a, b) => Number(a[0]) - Number(b[0]));
  return [...indexKeys, ...otherKeys];
}

function isArrayIndex(key: string): boolean {
  return /^(0|[1-9][0-9]*)$/.test(key) && Number(key) < 4294967295;
}

/**
 * Which halves Node's `querystring.parse` percent-decodes: only those in which its scanner saw a
 * valid `%XX` (`%€` stays as it is). Its quirks, reproduced: the scanner steps over `+` in a value
 * but not in a key, and once the key has an escape, the rest of the key is scanned by the value's
 * scanner, so `%41%42=é` decodes the value too (and turns `é` into U+FFFD).
 */
function nodeEscapeScan(rawKey: string, rawValue: string): { keyEncoded: boolean; valueEncoded: boolean } {
  const firstKeyEscape = VALID_ESCAPE.exec(rawKey);
  const keyRest = firstKeyEscape ? rawKey.slice(firstKeyEscape.index + 3) : '';
  return {
    keyEncoded: firstKeyEscape !== null,
    valueEncoded: hasEscapeIgnoringPlus(keyRest) || hasEscapeIgnoringPlus(rawValue),
  };
}

function hasEscapeIgnoringPlus(text: string): boolean {
  return VALID_ESCAPE.test(text.includes('+') ? text.replace(/\+/g, '') : text);
}

/** `+` always becomes a space; then, if Node decodes this half: strict decode first, byte-wise decode of valid escapes as the fallback. */
function unescapeLegacy(text: string, encoded: boolean): string {
  const spaced = text.includes('+') ? text.replace(/\+/g, ' ') : text;
  if (!encoded) return spaced;
  try {
    return decodeURIComponent(spaced);
  } catch {
    return decodeValidEscapes(spaced);
  }
}

/** `querystring.unescapeBuffer`: valid `%XX` become bytes, every other UTF-16 unit keeps its low byte (as Node does). */
function decodeValidEscapes(text: string): string {
  const bytes = new Uint8Array(text.length);
  let length = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 0x25 && i + 2 < text.length && isHex(text.charCodeAt(i + 1)) && isHex(text.charCodeAt(i + 2))) {
      bytes[length++] = parseInt(text.slice(i + 1, i + 3), 16);
      i += 2;
    } else {
      bytes[length++] = ch & 0xff;
    }
  }
  return new TextDecoder().decode(bytes.subarray(0, length));
}

function isHex(code: number): boolean {
  return (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x46) || (code >= 0x61 && code <= 0x66);
}

/** `querystring.escape` leaves exactly the characters `encodeURIComponent` leaves. */
function escapeLegacy(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return escapeLoneSurrogates(text);
  }
}

/**
 * Node's encoder joins a surrogate with whatever unit follows it, paired or not, and throws only
 * for one at the very end. Unreachable from `urlCandidates` (the WHATWG parse already replaced lone
 * surrogates), kept exact anyway; where Node would throw we return the text, which matches nothing.
 */
function escapeLoneSurrogates(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0xd800 || unit >= 0xe000) {
      out += encodeURIComponent(text[i] as string);
      continue;
    }
    if (i + 1 >= text.length) return text;
    const codePoint = 0x10000 + (((unit & 0x3ff) << 10) | (text.charCodeAt(++i) & 0x3ff));
    out += encodeURIComponent(String.fromCodePoint(codePoint));
  }
  return out;
}

/**
 * `application/x-www-form-urlencoded` from the raw bytes, the way Twilio encodes it: UTF-8, `+` is a
 * space, repeated keys become arrays in arrival order, nothing trimmed, `a[b]` stays a flat key.
 * A platform's parsed body is never used: body parsers nest bracketed keys and drop repeats.
 */

export type FormParams = Record<string, string | string[]>;

export interface FormParseResult {
  readonly params: FormParams;
  /** Why the body cannot have come from Twilio (bad escapes, invalid UTF-8); empty when well formed. */
  readonly problems: readonly string[];
}

const strictDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const lenientDecoder = new TextDecoder('utf-8', { ignoreBOM: true });
const encoder = new TextEncoder();

/** Never throws: malformed escapes stay literal and invalid UTF-8 becomes U+FFFD (as URLSearchParams does). */
export function parseFormBody(raw: string | Uint8Array): FormParams {
  return parseFormBodyChecked(raw).params;
}

export function parseFormBodyChecked(raw: string | Uint8Array): FormParseResult {
  // Twilio's bodies are ASCII (everything else is percent-encoded): split the text and decode only
  // the components that need it. Anything else takes the byte-exact path.
  const text = typeof raw === 'string' ? (NON_ASCII.test(raw) ? undefined : raw) : asciiText(raw);
  if (text !== undefined) return parseAsciiText(text);
  const bytes = typeof raw === 'string' ? encoder.encode(raw) : raw;
  const params: FormParams = Object.create(null) as FormParams;
  const problems: string[] = [];
  let start = 0;
  while (start <= bytes.length) {
    let end = bytes.indexOf(0x26 /* & */, start);
    if (end === -1) end = bytes.length;
    if (end > start) addPair(bytes.subarray(start, end), params, problems);
    start = end + 1;
  }
  return { params, problems };
}

const NON_ASCII = /[^\x00-\x7f]/;
const latin1Decoder = new TextDecoder('latin1');

function asciiText(bytes: Uint8Array): string | undefined {
  for (let i = 0; i < bytes.length; i++) if ((bytes[i] as number) > 0x7f) return undefined;
  return latin1Decoder.decode(bytes);
}

function parseAsciiText(text: string): FormParseResult {
  const params: FormParams = Object.create(null) as FormParams;
  const problems: string[] = [];
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('&', start);
    if (end === -1) end = text.length;
    if (end > start) {
      const eq = text.indexOf('=', start);
      const hasValue = eq !== -1 && eq < end;
      addValue(params, decodeText(text.slice(start, hasValue ? eq : end), problems), hasValue ? decodeText(text.slice(eq + 1, end), problems) : '');
    }
    start = end + 1;
  }
  return { params, problems };
}

/** No `%`: the text is the value. Otherwise the engine's decoder, and the byte path for what it refuses. */
function decodeText(component: string, problems: string[]): string {
  const spaced = component.indexOf('+') === -1 ? component : component.replace(/\+/g, ' ');
  if (spaced.indexOf('%') === -1) return spaced;
  try {
    return decodeURIComponent(spaced);
  } catch {
    return decodeComponent(encoder.encode(component), problems);
  }
}

function addValue(params: FormParams, key: string, value: string): void {
  const existing = params[key];
  if (existing === undefined) params[key] = value;
  else if (Array.isArray(existing)) existing.push(value);
  else params[key] = [existing, value];
}

function addPair(pair: Uint8Array, params: FormParams, problems: string[]): void {
  const eq = pair.indexOf(0x3d /* = */);
  const key = decodeComponent(eq === -1 ? pair : pair.subarray(0, eq), problems);
  addValue(params, key, eq === -1 ? '' : decodeComponent(pair.subarray(eq + 1), problems));
}

function decodeComponent(bytes: Uint8Array, problems: string[]): string {
  const out = new Uint8Array(bytes.length);
  let length = 0;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i] as number;
    if (byte === 0x2b /* + */) {
      out[length++] = 0x20;
    } else if (byte === 0x25 /* % */) {
      const high = hexValue(bytes[i + 1]);
      const low = hexValue(bytes[i + 2]);
      if (high === -1 || low === -1) {
        problems.push('malformed percent-escape');
        out[length++] = byte;
      } else {
        out[length++] = high * 16 + low;
        i += 2;
      }
    } else {
      out[length++] = byte;
    }
  }
  const decoded = out.subarray(0, length);
  try {
    return strictDecoder.decode(decoded);
  } catch {
    problems.push('invalid UTF-8');
    return lenientDecoder.decode(decoded);
  }
}

function hexValue(byte: number | undefined): number {
  if (byte === undefined) return -1;
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  if (byte >= 0x41 && byte <= 0x46) return byte - 0x37;
  if (byte >= 0x61 && byte <= 0x66) return byte - 0x57;
  return -1;
}

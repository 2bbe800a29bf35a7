/** Form fields by name; a repeated key holds every value in arrival order. The map has no prototype. */
export type FormParams = Record<string, string | string[]>;

/** A form body's fields, and what makes it unlike anything Twilio sends. */
export interface FormParseResult {
  /** The decoded fields. */
  readonly params: FormParams;
  /** Why the body cannot have come from Twilio (bad escapes, invalid UTF-8); empty when well formed. */
  readonly problems: readonly string[];
  /**
   * The first key whose decoded `key=value` pair occurs more than once. The signature de-duplicates
   * repeated values (as twilio does), so the copies are unsigned: the pipeline refuses such a body.
   */
  readonly repeatedPair?: string;
}

/** Collects what a parse found beyond the params. */
interface ParseState {
  readonly problems: string[];
  repeatedPair?: string;
  /** The pairs of keys seen more than once (a Set: a body of thousands of distinct values stays linear). */
  repeatedKeyPairs?: Set<string>;
}

function resultOf(params: FormParams, state: ParseState): FormParseResult {
  return state.repeatedPair === undefined
    ? { params, problems: state.problems }
    : { params, problems: state.problems, repeatedPair: state.repeatedPair };
}

const strictDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const lenientDecoder = new TextDecoder('utf-8', { ignoreBOM: true });
const encoder = new TextEncoder();

/**
 * `application/x-www-form-urlencoded` from the raw bytes, the way Twilio encodes it: UTF-8, `+` is a
 * space, repeated keys become arrays in arrival order, nothing trimmed, `a[b]` stays a flat key.
 * A platform's parsed body is never used: body parsers nest bracketed keys and drop repeats.
 * Never throws: malformed escapes stay literal and invalid UTF-8 becomes U+FFFD (as URLSearchParams does).
 * @param raw - the raw body, text or bytes
 */
export function parseFormBody(raw: string | Uint8Array): FormParams {
  return parseFormBodyChecked(raw).params;
}

/**
 * `parseFormBody`, plus the problems that show a body Twilio did not send (the pipeline refuses those).
 * @param raw - the raw body, text or bytes
 */
export function parseFormBodyChecked(raw: string | Uint8Array): FormParseResult {
  // Twilio's bodies are ASCII (everything else is percent-encoded): split the text and decode only
  // the components that need it. Anything else takes the byte-exact path.
  const text = typeof raw === 'string' ? (NON_ASCII.test(raw) ? undefined : raw) : asciiText(raw);
  if (text !== undefined) return parseAsciiText(text);
  const bytes = typeof raw === 'string' ? encoder.encode(raw) : raw;
  const params: FormParams = Object.create(null) as FormParams;
  const state: ParseState = { problems: [] };
  let start = 0;
  while (start <= bytes.length) {
    let end = bytes.indexOf(0x26 /* & */, start);
    if (end === -1) end = bytes.length;
    if (end > start) addPair(bytes.subarray(start, end), params, state);
    start = end + 1;
  }
  return resultOf(params, state);
}

const NON_ASCII = /[^\x00-\x7f]/;
const latin1Decoder = new TextDecoder('latin1');

function asciiText(bytes: Uint8Array): string | undefined {
  for (let i = 0; i < bytes.length; i++) if ((bytes[i] as number) > 0x7f) return undefined;
  return latin1Decoder.decode(bytes);
}

function parseAsciiText(text: string): FormParseResult {
  const params: FormParams = Object.create(null) as FormParams;
  const state: ParseState = { problems: [] };
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('&', start);
    if (end === -1) end = text.length;
    if (end > start) {
      const eq = text.indexOf('=', start);
      const hasValue = eq !== -1 && eq < end;
      addValue(
        params,
        decodeText(text.slice(start, hasValue ? eq : end), state.problems),
        hasValue ? decodeText(text.slice(eq + 1, end), state.problems) : '',
        state,
      );
    }
    start = end + 1;
  }
  return resultOf(params, state);
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

function addValue(params: FormParams, key: string, value: string, state: ParseState): void {
  const existing = params[key];
  if (existing === undefined) {
    params[key] = value;
    return;
  }
  if (state.repeatedPair === undefined) {
    const seen = (state.repeatedKeyPairs ??= new Set());
    // The key's first repeat: its first value joins the set (later values were added as they came).
    if (!Array.isArray(existing)) seen.add(pairIdentity(key, existing));
    const pair = pairIdentity(key, value);
    if (seen.has(pair)) state.repeatedPair = key;
    else seen.add(pair);
  }
  if (Array.isArray(existing)) existing.push(value);
  else params[key] = [existing, value];
}

function pairIdentity(key: string, value: string): string {
  return `${key.length}:${key}${value}`;
}

function addPair(pair: Uint8Array, params: FormParams, state: ParseState): void {
  const eq = pair.indexOf(0x3d /* = */);
  const key = decodeComponent(eq === -1 ? pair : pair.subarray(0, eq), state.problems);
  addValue(params, key, eq === -1 ? '' : decodeComponent(pair.subarray(eq + 1), state.problems), state);
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

/**
 * The URL strings a Twilio signature may have been computed over, in the order twilio@6.2.0 tries
 * them: the URL as received (port removed, then default port added), then the WHATWG-normalised
 * form (same two), then those two with the query re-encoded by Node's legacy `querystring`.
 * Everything but the normalised form is string surgery: `new URL()` rewrites what Twilio signed.
 */
import { reencodeLegacyQuery } from './legacy-querystring.js';

/** Which rewriting of the received URL a signature matched (named in log lines). */
export type UrlVariant =
  | 'as-received'
  | 'without-port'
  | 'with-default-port'
  | 'normalized'
  | 'normalized-with-default-port'
  | 'legacy-query'
  | 'legacy-query-with-default-port';

/** A URL string a signature is tried against, and which variant of the received URL it is. */
export interface UrlCandidate {
  /** The URL string to sign. */
  readonly url: string;
  /** How it was derived from the received URL. */
  readonly variant: UrlVariant;
}

interface UrlParts {
  scheme: string;
  userInfo: string;
  host: string;
  port: string;
  rest: string;
}

/**
 * Where `scheme://[userinfo@]host[:port]` lies in a URL, as indexes (no substrings: this runs on
 * every request). Matches what twilio splits with `/^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)/i`; the
 * port colon is the first one after an IPv6 literal's `]`.
 */
interface AuthorityBounds {
  /** Index just after `://`. */
  readonly schemeEnd: number;
  /** Index just after the last `@` of the authority, or `schemeEnd`. */
  readonly hostStart: number;
  /** Index of the port's `:`, or -1. */
  readonly portStart: number;
  /** Index of the first `/`, `?` or `#` after the authority, or the URL's length. */
  readonly end: number;
}

function isSchemeCharacter(code: number): boolean {
  const lower = code | 0x20;
  return (lower >= 0x61 && lower <= 0x7a) || (code >= 0x30 && code <= 0x39) || code === 0x2b || code === 0x2d || code === 0x2e;
}

function locateAuthority(url: string): AuthorityBounds | null {
  if (typeof url !== 'string') return null;
  const first = url.charCodeAt(0) | 0x20;
  if (!(first >= 0x61 && first <= 0x7a)) return null;
  let colon = 1;
  while (colon < url.length && isSchemeCharacter(url.charCodeAt(colon))) colon++;
  if (url.charCodeAt(colon) !== 0x3a || url.charCodeAt(colon + 1) !== 0x2f || url.charCodeAt(colon + 2) !== 0x2f) return null;
  const schemeEnd = colon + 3;
  // One pass: the port colon is the first `:` after both the last `@` and the last `]`.
  let end = schemeEnd;
  let hostStart = schemeEnd;
  let portStart = -1;
  for (; end < url.length; end++) {
    const code = url.charCodeAt(end);
    if (code === 0x2f /* / */ || code === 0x3f /* ? */ || code === 0x23 /* # */) break;
    if (code === 0x40 /* @ */) {
      hostStart = end + 1;
      portStart = -1;
    } else if (code === 0x5d /* ] */) {
      portStart = -1;
    } else if (code === 0x3a /* : */ && portStart === -1) {
      portStart = end;
    }
  }
  return { schemeEnd, hostStart, portStart, end };
}

/** Splits without normalising; the port colon is the first one after an IPv6 literal's `]`. */
export function splitUrl(url: string): UrlParts | null {
  const bounds = locateAuthority(url);
  if (!bounds) return null;
  const { schemeEnd, hostStart, portStart, end } = bounds;
  return {
    scheme: url.slice(0, schemeEnd),
    userInfo: url.slice(schemeEnd, hostStart),
    host: url.slice(hostStart, portStart === -1 ? end : portStart),
    port: portStart === -1 ? '' : url.slice(portStart, end),
    rest: url.slice(end),
  };
}

/** `scheme://authority...`: only such URLs are tried. */
export function isAbsoluteUrl(url: string): boolean {
  return locateAuthority(url) !== null;
}

/** The URL without its `:port` (string surgery, as twilio does it). */
export function removePort(url: string): string {
  return withoutPortOf(locateAuthority(url), url);
}

/** The URL with `:443` or `:80` added for its scheme when it has no port (as twilio does it). */
export function addDefaultPort(url: string): string {
  return withDefaultPortOf(locateAuthority(url), url);
}

/** Returns `url` itself when there is no port: no new string to build or compare (the hot path). */
function withoutPortOf(bounds: AuthorityBounds | null, url: string): string {
  if (!bounds || bounds.portStart === -1) return url;
  return url.slice(0, bounds.portStart) + url.slice(bounds.end);
}

function withDefaultPortOf(bounds: AuthorityBounds | null, url: string): string {
  if (!bounds || bounds.portStart !== -1) return url;
  const isHttps = bounds.schemeEnd === 8 && url.slice(0, 8).toLowerCase() === 'https://';
  return url.slice(0, bounds.end) + (isHttps ? ':443' : ':80') + url.slice(bounds.end);
}

export function withLegacyQuery(url: string): string {
  const queryStart = url.indexOf('?');
  if (queryStart === -1 || queryStart === url.length - 1) return url;
  return `${url.slice(0, queryStart)}?${reencodeLegacyQuery(url.slice(queryStart + 1))}`;
}

/** The two candidates string surgery gives (port removed, default port added), each labelled; may be the same string. */
function rawCandidates(url: string): [UrlCandidate, UrlCandidate] {
  const bounds = locateAuthority(url);
  const withoutPort = withoutPortOf(bounds, url);
  const withPort = withDefaultPortOf(bounds, url);
  return [
    { url: withoutPort, variant: withoutPort === url ? 'as-received' : 'without-port' },
    { url: withPort, variant: withPort === url ? 'as-received' : 'with-default-port' },
  ];
}

/** The WHATWG-normalised candidates, tried only when the raw ones failed; none when the parser rejects the URL. */
function normalizedCandidates(url: string): UrlCandidate[] {
  let normalized: string;
  try {
    normalized = new URL(url).toString();
  } catch {
    return [];
  }
  const normalizedWithoutPort = removePort(normalized);
  const normalizedWithPort = addDefaultPort(normalized);
  return [
    { url: normalizedWithoutPort, variant: 'normalized' },
    { url: normalizedWithPort, variant: 'normalized-with-default-port' },
    { url: withLegacyQuery(normalizedWithoutPort), variant: 'legacy-query' },
    { url: withLegacyQuery(normalizedWithPort), variant: 'legacy-query-with-default-port' },
  ];
}

/**
 * Offers each distinct candidate to `matches`, in order, and returns the first it accepts (none
 * for a URL that is not absolute). A signature over the URL as received costs one call and no
 * parse: this is the hot path, so no generator and no Set.
 */
export function findUrlCandidate(url: string, matches: (candidateUrl: string) => boolean): UrlCandidate | undefined {
  const bounds = locateAuthority(url);
  if (!bounds) return undefined; // not `scheme://authority...`: never what Twilio requested
  const withoutPort = withoutPortOf(bounds, url);
  if (matches(withoutPort)) return { url: withoutPort, variant: withoutPort === url ? 'as-received' : 'without-port' };
  const withPort = withDefaultPortOf(bounds, url);
  if (withPort !== withoutPort && matches(withPort))
    return { url: withPort, variant: withPort === url ? 'as-received' : 'with-default-port' };
  const tried = [withoutPort, withPort];
  for (const candidate of normalizedCandidates(url)) {
    if (tried.includes(candidate.url)) continue;
    tried.push(candidate.url);
    if (matches(candidate.url)) return candidate;
  }
  return undefined;
}

/** Every distinct candidate once, in the order `findUrlCandidate` tries them (none for a URL that is not absolute). */
export function* urlCandidates(url: string): Generator<UrlCandidate> {
  if (!isAbsoluteUrl(url)) return;
  const seen = new Set<string>();
  const [first, second] = rawCandidates(url);
  for (const candidate of [first, second]) {
    if (seen.has(candidate.url)) continue;
    seen.add(candidate.url);
    yield candidate;
  }
  for (const candidate of normalizedCandidates(url)) {
    if (seen.has(candidate.url)) continue;
    seen.add(candidate.url);
    yield candidate;
  }
}

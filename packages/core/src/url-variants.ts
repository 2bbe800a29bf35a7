/**
 * The URL strings a Twilio signature may have been computed over, in the order twilio@6.2.0 tries
 * them: the URL as received (port removed, then default port added), then the WHATWG-normalised
 * form (same two), then those two with the query re-encoded by Node's legacy `querystring`.
 * Everything but the normalised form is string surgery: `new URL()` rewrites what Twilio signed.
 */
import { reencodeLegacyQuery } from './legacy-querystring.js';

export type UrlVariant =
  | 'as-received'
  | 'without-port'
  | 'with-default-port'
  | 'normalized'
  | 'normalized-with-default-port'
  | 'legacy-query'
  | 'legacy-query-with-default-port';

export interface UrlCandidate {
  readonly url: string;
  readonly variant: UrlVariant;
}

interface UrlParts {
  scheme: string;
  userInfo: string;
  host: string;
  port: string;
  rest: string;
}

const SCHEME_AND_AUTHORITY = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)/i;

/** Splits without normalising; the port colon is the first one after an IPv6 literal's `]`. */
export function splitUrl(url: string): UrlParts | null {
  const match = SCHEME_AND_AUTHORITY.exec(url);
  if (!match) return null;
  const scheme = match[1] as string;
  const authority = match[2] as string;
  const userInfoEnd = authority.lastIndexOf('@');
  const hostAndPort = authority.slice(userInfoEnd + 1);
  const portStart = hostAndPort.indexOf(':', hostAndPort.lastIndexOf(']') + 1);
  return {
    scheme,
    userInfo: authority.slice(0, userInfoEnd + 1),
    host: portStart === -1 ? hostAndPort : hostAndPort.slice(0, portStart),
    port: portStart === -1 ? '' : hostAndPort.slice(portStart),
    rest: url.slice(match[0].length),
  };
}

export function isAbsoluteUrl(url: string): boolean {
  return SCHEME_AND_AUTHORITY.test(url);
}

export function removePort(url: string): string {
  const parts = splitUrl(url);
  return parts ? parts.scheme + parts.userInfo + parts.host + parts.rest : url;
}

export function addDefaultPort(url: string): string {
  const parts = splitUrl(url);
  if (!parts || parts.port) return url;
  const port = parts.scheme.toLowerCase() === 'https://' ? ':443' : ':80';
  return parts.scheme + parts.userInfo + parts.host + port + parts.rest;
}

export function withLegacyQuery(url: string): string {
  const queryStart = url.indexOf('?');
  if (queryStart === -1 || queryStart === url.length - 1) return url;
  return `${url.slice(0, queryStart)}?${reencodeLegacyQuery(url.slice(queryStart + 1))}`;
}

/** Lazily yields each distinct candidate once, so a valid signature costs one HMAC. */
export function* urlCandidates(url: string): Generator<UrlCandidate> {
  const seen = new Set<string>();
  function* once(candidate: string, variant: UrlVariant): Generator<UrlCandidate> {
    if (seen.has(candidate)) return;
    seen.add(candidate);
    yield { url: candidate, variant };
  }
  const withoutPort = removePort(url);
  yield* once(withoutPort, withoutPort === url ? 'as-received' : 'without-port');
  const withPort = addDefaultPort(url);
  yield* once(withPort, withPort === url ? 'as-received' : 'with-default-port');

  let normalized: string;
  try {
    normalized = new URL(url).toString();
  } catch {
    return;
  }
  const normalizedWithoutPort = removePort(normalized);
  const normalizedWithPort = addDefaultPort(normalized);
  yield* once(normalizedWithoutPort, 'normalized');
  yield* once(normalizedWithPort, 'normalized-with-default-port');
  yield* once(withLegacyQuery(normalizedWithoutPort), 'legacy-query');
  yield* once(withLegacyQuery(normalizedWithPort), 'legacy-query-with-default-port');
}

/**
 * String surgery on webhook URLs (never `new URL()`: it rewrites what Twilio signs).
 * Credentials in a webhook URL are only for Basic/Digest auth: Twilio sends and signs the URL without them.
 */
import { splitUrl } from '@twiml-guard/core/adapter';

/** The `user:pass@` of a webhook URL, percent-decoded. */
export interface UrlCredentials {
  /** The user name. */
  readonly username: string;
  /** The password. */
  readonly password: string;
}

/** A webhook URL split into what is sent and signed, and the credentials used for auth. */
export interface UrlWithoutCredentials {
  /** The URL with `user:pass@` and any `#fragment` removed: what goes on the wire and into the signature. */
  readonly url: string;
  /** The credentials, when the URL had any. */
  readonly credentials?: UrlCredentials;
}

/**
 * Splits `https://user:pass@host/path#frag` into the URL Twilio sends and signs (`https://host/path`)
 * and the credentials it answers auth challenges with.
 * @param url - the webhook URL as configured in Twilio
 */
export function splitUrlCredentials(url: string): UrlWithoutCredentials {
  const withoutFragment = dropFragment(url);
  const parts = splitUrl(withoutFragment);
  if (!parts) throw new TypeError('The webhook URL must be absolute (scheme://host/path).');
  if (!/^https?:\/\/$/i.test(parts.scheme)) throw new TypeError('Twilio only calls http:// and https:// webhook URLs.');
  const bare = parts.scheme + parts.host + parts.port + parts.rest;
  if (!parts.userInfo) return { url: bare };
  const userInfo = parts.userInfo.slice(0, -1);
  const colon = userInfo.indexOf(':');
  const username = decodeUserInfo(colon === -1 ? userInfo : userInfo.slice(0, colon));
  const password = colon === -1 ? '' : decodeUserInfo(userInfo.slice(colon + 1));
  return { url: bare, credentials: { username, password } };
}

/** Fragments (Twilio's connection overrides) never reach the server; we sign without them. */
export function dropFragment(url: string): string {
  const hash = url.indexOf('#');
  return hash === -1 ? url : url.slice(0, hash);
}

/** Appends an already-encoded query (`a=1&b=2`) with `?` or `&` as the URL needs. */
export function appendQuery(url: string, query: string): string {
  if (query === '') return url;
  if (!url.includes('?')) return `${url}?${query}`;
  return url.endsWith('?') || url.endsWith('&') ? url + query : `${url}&${query}`;
}

/** Path and query of an absolute URL (`/` when the path is empty), as an HTTP request line carries them. */
export function requestTarget(url: string): string {
  const parts = splitUrl(url);
  if (!parts) return url;
  const rest = dropFragment(parts.rest);
  return rest.startsWith('/') ? rest : `/${rest}`;
}

function decodeUserInfo(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

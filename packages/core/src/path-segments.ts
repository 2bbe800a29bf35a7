/**
 * Dot segments and backslashes in a URL's path. The normalised-URL fallback resolves them
 * (`/voice/%2e%2e/sms` is `/sms` to the signature) while the function, its router or a platform's
 * path prefix see another path: a capture signed for one route would open every other. Twilio never
 * calls such a URL, so the pipeline refuses it instead of guessing which path was meant.
 */
import { splitUrl } from './url-variants.js';

/** `.`, `..` and their percent-encoded spellings (`%2e`, `%2E`, `.%2e`, `%2E%2e`...). */
const DOT_SEGMENT = /^(?:\.|%2e){1,2}$/i;
/** A backslash, raw or percent-encoded: WHATWG URLs and many routers read it as `/`. */
const BACKSLASH = /\\|%5c/i;

/** Why the path of `url` (an absolute URL or a path with a query) could be read as another path, or `undefined`. */
export function ambiguousPathReason(url: string): string | undefined {
  const queryStart = url.search(/[?#]/);
  const beforeQuery = queryStart === -1 ? url : url.slice(0, queryStart);
  // Anywhere before the query: `https://host\..\sms` has no "/" after the host, yet parsers start its path at the backslash.
  if (BACKSLASH.test(beforeQuery)) return 'the URL path holds a backslash (raw or %5C), which URL parsers and routers read as "/"';
  const path = splitUrl(beforeQuery)?.rest ?? beforeQuery;
  // The usual path has neither a dot nor an escape: no split on every request.
  if (path.indexOf('.') === -1 && path.indexOf('%') === -1) return undefined;
  for (const segment of path.split('/')) {
    if (DOT_SEGMENT.test(segment))
      return 'the URL path holds a "." or ".." segment (raw or percent-encoded), which resolves to another path than the one requested';
  }
  return undefined;
}

/**
 * A query longer than Node's legacy `querystring` reads. twilio's last URL fallback (kept for
 * compatibility) re-encodes the query through `querystring`, which stops after 1000 `&`-separated
 * pieces: whatever follows (`&bodySHA256=` of a body of the sender's choosing, a second `tenant=`)
 * is outside the URL the signature matched, yet the body check and the platform's query map read it.
 */
import { LEGACY_QUERY_MAX_PAIRS } from './legacy-querystring.js';

/** Why the query of `url` would be cut short by the legacy re-encoding, or `undefined`. */
export function truncatedQueryReason(url: string): string | undefined {
  const queryStart = url.indexOf('?');
  if (queryStart === -1) return undefined;
  let pieces = 1;
  for (let index = url.indexOf('&', queryStart); index !== -1; index = url.indexOf('&', index + 1)) {
    if (++pieces > LEGACY_QUERY_MAX_PAIRS) {
      return `the URL query has more than ${LEGACY_QUERY_MAX_PAIRS} &-separated pieces: the legacy URL variant drops the rest, so bytes after them would pass unsigned`;
    }
  }
  return undefined;
}

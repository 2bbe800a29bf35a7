const SECRET_QUERY_KEYS = /^(code|sig|signature|token|access_token|key|api[-_]?key|secret|password|pass)$/i;

/**
 * URLs in log lines without their secrets: `user:password@`, and query values that are credentials
 * by convention (Azure's function key `code=`, `sig=` of signed URLs, `token=`, `key=`...).
 * Only for logs: the URL that is signed is never rewritten.
 * @param url - a URL as the pipeline saw it
 * @returns the URL with credentials replaced by `REDACTED`
 */
export function redactUrl(url: string): string {
  // Greedy up to the last `@` of the authority: a raw `@` in a password must not leave its tail behind.
  const withoutUserInfo = url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i, '$1');
  const queryStart = withoutUserInfo.indexOf('?');
  if (queryStart === -1) return withoutUserInfo;
  const hashStart = withoutUserInfo.indexOf('#', queryStart);
  const query = withoutUserInfo.slice(queryStart + 1, hashStart === -1 ? undefined : hashStart);
  const redacted = query
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      return eq !== -1 && SECRET_QUERY_KEYS.test(decodedKey(pair.slice(0, eq))) ? `${pair.slice(0, eq)}=REDACTED` : pair;
    })
    .join('&');
  return `${withoutUserInfo.slice(0, queryStart + 1)}${redacted}${hashStart === -1 ? '' : withoutUserInfo.slice(hashStart)}`;
}

/** `co%64e` is `code` to the server that reads the query. */
function decodedKey(key: string): string {
  try {
    return decodeURIComponent(key.replace(/\+/g, ' '));
  } catch {
    return key;
  }
}

/**
 * Runtimes that parse `request.url` with the WHATWG parser (undici in Azure Functions, fetch
 * runtimes) turn a `'` in the query into `%27`. Twilio sends `'` as is and signs it that way, so
 * put it back; nothing is lost, since the core also tries the normalised (`%27`) variant.
 */
export function restoreQuoteInQuery(url: string): string {
  const queryStart = url.indexOf('?');
  if (queryStart === -1) return url;
  return url.slice(0, queryStart) + url.slice(queryStart).replace(/%27/g, "'");
}

/** A signed request as a `curl` command a POSIX shell runs unchanged (every argument single-quoted). */
import type { SignedTwilioRequest } from '../sign-request.js';
import type { UrlCredentials } from '../url-parts.js';

export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** `bodyFile`: send that file's bytes (`--data-binary @FILE`) instead of the body inline: one argument is capped at 128 KiB on Linux. */
export function curlCommand(request: SignedTwilioRequest, credentials?: UrlCredentials, bodyFile?: string): string {
  // -q (first): no ~/.curlrc adds to the request; --globoff: `{a,b}` and `[1-2]` in a URL are not curl
  // ranges; --path-as-is: `/a/../b` stays as signed.
  const lines = [`curl -q -sS -i --globoff --path-as-is -X ${request.method} ${shellQuote(request.url)}`];
  for (const [name, value] of Object.entries(request.headers)) lines.push(`  -H ${shellQuote(`${name}: ${value}`)}`);
  // --anyauth: curl answers a Basic or Digest challenge as Twilio does, after a first request without credentials.
  if (credentials) lines.push(`  --anyauth -u ${shellQuote(`${credentials.username}:${credentials.password}`)}`);
  if (request.method !== 'GET')
    lines.push(bodyFile === undefined ? `  --data-raw ${shellQuote(request.body)}` : `  --data-binary @${shellQuote(bodyFile)}`);
  return lines.join(' \\\n');
}

/** The request as it goes on the wire: request line, headers, blank line, body. */
export function describeRequest(request: SignedTwilioRequest): string[] {
  return [
    `${request.method} ${request.url}`,
    ...Object.entries(request.headers).map(([name, value]) => `${name}: ${value}`),
    '',
    request.body,
  ];
}

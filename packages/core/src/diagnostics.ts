/**
 * On a signature mismatch, try a bounded set of near-miss URLs to tell the operator which
 * configuration would have matched, and say what to change (docs/design.md, "Fail closed, explain
 * server-side"). Rate-limited: forged traffic buys little CPU.
 */
import { redactUrl } from './redact-url.js';
import { splitUrl } from './url-variants.js';
import { isPromise, syncResult, type MaybePromise } from './crypto/maybe.js';
import { verifySignatureMaybe, type VerifySignatureInput } from './verify.js';
import type { AlternateUrl } from './types.js';

/** A URL close to the one validated (another port, scheme, host or path form), with what differs. */
export interface NearMiss {
  /** The near-miss URL. */
  readonly url: string;
  /** What differs from the validated URL, e.g. `http instead of https`. */
  readonly label: string;
}

/** Candidate URLs that differ from `url` the way misconfigurations usually do. */
export function nearMissUrls(url: string, alternates: readonly AlternateUrl[] = []): NearMiss[] {
  const out: NearMiss[] = [];
  const seen = new Set<string>([url]);
  const add = (candidate: string | undefined, label: string): void => {
    if (candidate === undefined || seen.has(candidate)) return;
    seen.add(candidate);
    out.push({ url: candidate, label });
  };
  for (const alternate of alternates) add(alternate.url, alternate.label);

  const parts = splitUrl(url);
  if (!parts) return out;
  const scheme = parts.scheme.toLowerCase();
  const origin = parts.userInfo + parts.host + parts.port;
  const queryStart = parts.rest.indexOf('?');
  const path = queryStart === -1 ? parts.rest : parts.rest.slice(0, queryStart);
  const query = queryStart === -1 ? '' : parts.rest.slice(queryStart);

  add(
    (scheme === 'https://' ? 'http://' : 'https://') + origin + parts.rest,
    scheme === 'https://' ? 'http instead of https' : 'https instead of http',
  );
  add(
    parts.scheme + origin + (path.endsWith('/') ? path.slice(0, -1) : `${path}/`) + query,
    path.endsWith('/') ? 'without the trailing slash' : 'with a trailing slash',
  );
  const segments = path.split('/').filter(Boolean);
  if (segments.length > 1) {
    add(
      `${parts.scheme}${origin}/${segments.slice(1).join('/')}${query}`,
      `without the first path segment "/${segments[0]}" (a stage or base path)`,
    );
  }
  if (query) add(parts.scheme + origin + path, 'without the query string');
  for (const prefix of ['api', 'prod', 'dev', 'default']) {
    if (segments[0] !== prefix) add(`${parts.scheme}${origin}/${prefix}${path}${query}`, `with a "/${prefix}" path prefix`);
  }
  for (const host of otherLoopbackHosts(parts.host)) {
    add(parts.scheme + parts.userInfo + host + parts.port + parts.rest, hostSwapLabel(host, parts.host));
  }
  return out;
}

/** One machine, three names: a request sent to one is signed for that name, not the others. */
const LOOPBACK_HOSTS: readonly string[] = ['localhost', '127.0.0.1', '[::1]'];

export function otherLoopbackHosts(host: string): string[] {
  const lower = host.toLowerCase();
  return LOOPBACK_HOSTS.includes(lower) ? LOOPBACK_HOSTS.filter((candidate) => candidate !== lower) : [];
}

export function hostSwapLabel(signedHost: string, validatedHost: string): string {
  return `with the host "${signedHost}" instead of "${validatedHost}"`;
}

/** What the operator should change, given the near-miss URL that matched and the URL the function validated. */
export function nearMissFix(nearMiss: NearMiss, validatedUrl: string): string {
  const signed = redactUrl(nearMiss.url);
  const validated = redactUrl(validatedUrl);
  const signedParts = splitUrl(nearMiss.url);
  const validatedParts = splitUrl(validatedUrl);
  if (
    signedParts &&
    validatedParts &&
    signedParts.host.toLowerCase() !== validatedParts.host.toLowerCase() &&
    otherLoopbackHosts(validatedParts.host).includes(signedParts.host.toLowerCase())
  ) {
    return `the signature matches ${signed} (${nearMiss.label}): the request was signed for the host "${signedParts.host}" but this function validates "${validatedParts.host}"; send it to ${validated}, or set the url option (or baseUrl, PUBLIC_BASE_URL) to use "${signedParts.host}"`;
  }
  if (nearMiss.label === 'http instead of https') {
    return `the signature matches ${signed} (${nearMiss.label}): the webhook URL in the Twilio console is http://; change it in the Twilio console to ${validated} (https)`;
  }
  if (nearMiss.label === 'https instead of http') {
    return `the signature matches ${signed} (${nearMiss.label}): Twilio calls https:// but this function sees http:// (TLS ends at a proxy or load balancer); set the url option (or baseUrl) to the https URL, or trustProxy if the proxy sets X-Forwarded-Proto`;
  }
  return `the signature matches ${signed} (${nearMiss.label}): set the url option (or baseUrl) so the public URL is built that way`;
}

/** No near-miss URL matched: name the host and what is left to check. */
export function noNearMissFix(validatedUrl: string): string {
  const host = splitUrl(validatedUrl)?.host ?? '(no host)';
  return `no near-miss URL matched for the host "${host}": forged request, wrong auth token (sub-accounts sign with their own), a request sent to another host name than "${host}", or a public URL this function cannot see (custom domain, CDN, API Management): set the url or baseUrl option`;
}

export interface DiagnosisLimiter {
  allow(): boolean;
}

/** At most `perMinute` diagnoses a minute. */
export function diagnosisLimiter(perMinute = 10, now: () => number = Date.now): DiagnosisLimiter {
  let windowStart = now();
  let used = 0;
  return {
    allow() {
      const current = now();
      if (current - windowStart >= 60_000) {
        windowStart = current;
        used = 0;
      }
      if (used >= perMinute) return false;
      used++;
      return true;
    },
  };
}

/** The first near-miss URL whose signature matches, if any. Node only (synchronous); everywhere: `findNearMissAsync`. */
export function findNearMiss(input: VerifySignatureInput, alternates?: readonly AlternateUrl[]): NearMiss | undefined {
  return syncResult(findNearMissMaybe(input, alternates), 'findNearMiss', 'findNearMissAsync');
}

/**
 * `findNearMiss` on every runtime: the first near-miss URL whose signature matches, if any.
 * @param input - what the failed verification was given
 * @param alternates - other URLs the platform could have been called on
 */
export async function findNearMissAsync(input: VerifySignatureInput, alternates?: readonly AlternateUrl[]): Promise<NearMiss | undefined> {
  return findNearMissMaybe(input, alternates);
}

export function findNearMissMaybe(input: VerifySignatureInput, alternates?: readonly AlternateUrl[]): MaybePromise<NearMiss | undefined> {
  const candidates = nearMissUrls(input.url, alternates);
  const tryFrom = (start: number): MaybePromise<NearMiss | undefined> => {
    for (let index = start; index < candidates.length; index++) {
      const candidate = candidates[index] as NearMiss;
      const verdict = verifySignatureMaybe({ ...input, url: candidate.url });
      if (isPromise(verdict)) return verdict.then((resolved) => (resolved.valid ? candidate : tryFrom(index + 1)));
      if (verdict.valid) return candidate;
    }
    return undefined;
  };
  return tryFrom(0);
}

/**
 * On a signature mismatch, try a bounded set of near-miss URLs to tell the operator which
 * configuration would have matched (rule 5). Rate-limited: forged traffic buys little CPU.
 */
import { splitUrl } from './url-variants.js';
import { isPromise, syncResult, type MaybePromise } from './crypto/maybe.js';
import { verifySignatureMaybe, type VerifySignatureInput } from './verify.js';
import type { AlternateUrl } from './types.js';

export interface NearMiss {
  readonly url: string;
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

  add((scheme === 'https://' ? 'http://' : 'https://') + origin + parts.rest, scheme === 'https://' ? 'http instead of https' : 'https instead of http');
  add(parts.scheme + origin + (path.endsWith('/') ? path.slice(0, -1) : `${path}/`) + query, path.endsWith('/') ? 'without the trailing slash' : 'with a trailing slash');
  const segments = path.split('/').filter(Boolean);
  if (segments.length > 1) {
    add(`${parts.scheme}${origin}/${segments.slice(1).join('/')}${query}`, `without the first path segment "/${segments[0]}" (a stage or base path)`);
  }
  if (query) add(parts.scheme + origin + path, 'without the query string');
  for (const prefix of ['api', 'prod', 'dev', 'default']) {
    if (segments[0] !== prefix) add(`${parts.scheme}${origin}/${prefix}${path}${query}`, `with a "/${prefix}" path prefix`);
  }
  return out;
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

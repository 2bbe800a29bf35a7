/**
 * URLs that differ from a captured one the way webhook misconfigurations usually do, alone and
 * combined, fewest changes first. Offline (the CLI), so it can afford every combination; core's
 * `nearMissUrls` is the small, rate-limited list the live pipeline uses.
 */
import { splitUrl } from '@twiml-guard/core/adapter';

/** One machine, three names: a request sent to one is signed for that name, not the others. */
const LOOPBACK_HOSTS: readonly string[] = ['localhost', '127.0.0.1', '[::1]'];

/** A URL close to the captured one, and what was changed to get it. */
export interface NearMissCandidate {
  /** The candidate URL. */
  readonly url: string;
  /** What differs from the captured URL, e.g. `["https instead of http", "without the trailing slash"]`. */
  readonly changes: readonly string[];
}

/** Base paths platforms and gateways commonly add or strip (API Gateway stages, Azure's `/api`). */
export const DEFAULT_PATH_PREFIXES: readonly string[] = ['api', 'prod', 'dev', 'default', 'stage', 'staging', 'v1'];

interface Option {
  readonly value: string;
  readonly changes: readonly string[];
}

/**
 * URLs that differ from a captured one the way webhook misconfigurations usually do (scheme, trailing
 * slash, port, base path, host), alone and combined, fewest changes first.
 * @param url - the captured URL
 * @param pathPrefixes - base paths to try adding or removing
 */
export function nearMissCandidates(url: string, pathPrefixes: readonly string[] = DEFAULT_PATH_PREFIXES): NearMissCandidate[] {
  const parts = splitUrl(url);
  if (!parts) return [];
  const scheme = parts.scheme.toLowerCase();
  const queryStart = parts.rest.indexOf('?');
  const path = queryStart === -1 ? parts.rest : parts.rest.slice(0, queryStart);
  const query = queryStart === -1 ? '' : parts.rest.slice(queryStart);

  const schemes: Option[] = [{ value: parts.scheme, changes: [] }];
  if (scheme === 'https://' || scheme === 'http://') {
    const flipped = scheme === 'https://' ? 'http://' : 'https://';
    schemes.push({ value: flipped, changes: [`${flipped.slice(0, -3)} instead of ${scheme.slice(0, -3)}`] });
  }

  const hosts: Option[] = [{ value: parts.host, changes: [] }];
  if (LOOPBACK_HOSTS.includes(parts.host.toLowerCase())) {
    for (const host of LOOPBACK_HOSTS.filter((candidate) => candidate !== parts.host.toLowerCase())) {
      hosts.push({ value: host, changes: [`with the host "${host}" instead of "${parts.host}"`] });
    }
  }

  // Without the port is enough: twilio's own variants then add the scheme's default port.
  const ports: Option[] = [{ value: parts.port, changes: [] }];
  if (parts.port) ports.push({ value: '', changes: [`without the port ${parts.port}`] });

  const segments = path.split('/').filter(Boolean);
  const bases: Option[] = [{ value: path, changes: [] }];
  if (segments.length > 1) {
    bases.push({
      value: path.slice(path.indexOf('/', 1)),
      changes: [`without the first path segment "/${segments[0]}" (a stage or base path)`],
    });
  }
  for (const prefix of pathPrefixes) {
    const clean = prefix.replace(/^\/+|\/+$/g, '');
    if (clean && segments[0] !== clean) bases.push({ value: `/${clean}${path}`, changes: [`with a "/${clean}" path prefix`] });
  }
  const paths: Option[] = [];
  for (const base of bases) {
    paths.push(base);
    const toggled = base.value.endsWith('/') ? base.value.slice(0, -1) : `${base.value}/`;
    const change = base.value.endsWith('/') ? 'without the trailing slash' : 'with a trailing slash';
    paths.push({ value: toggled, changes: [...base.changes, change] });
  }

  const queries: Option[] = [{ value: query, changes: [] }];
  if (query) {
    queries.push({ value: '', changes: ['without the query string'] });
    if (query.includes('+'))
      queries.push({ value: query.replace(/\+/g, '%20'), changes: ['with spaces in the query as %20 instead of +'] });
    if (query.includes('%20'))
      queries.push({ value: query.replace(/%20/g, '+'), changes: ['with spaces in the query as + instead of %20'] });
  }

  const seen = new Set<string>([url]);
  const candidates: NearMissCandidate[] = [];
  for (const schemeOption of schemes) {
    for (const hostOption of hosts) {
      for (const portOption of ports) {
        for (const pathOption of paths) {
          for (const queryOption of queries) {
            const candidate =
              schemeOption.value + parts.userInfo + hostOption.value + portOption.value + pathOption.value + queryOption.value;
            if (seen.has(candidate)) continue;
            seen.add(candidate);
            const changes = [schemeOption, hostOption, portOption, pathOption, queryOption].flatMap((option) => option.changes);
            candidates.push({ url: candidate, changes });
          }
        }
      }
    }
  }
  // Stable sort: the simplest explanation wins.
  return candidates.sort((a, b) => a.changes.length - b.changes.length);
}

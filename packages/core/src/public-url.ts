/**
 * Which URL the signature is checked against (docs/design.md, rule 2): the `url` option, then `baseUrl` + the
 * platform's path, then forwarded headers when `trustProxy` is on (docs/design.md, rule 3), then the adapter's
 * inference. Plain string concatenation throughout (docs/design.md, rule 1).
 */
import { readEnv, type EnvironmentReader } from './env.js';
import { firstHeader } from './headers.js';
import { splitUrl } from './url-variants.js';
import type { WebhookOptions } from './options.js';
import type { WebhookRequest } from './types.js';

/** The URL a request's signature is checked against, and where it came from. */
export interface PublicUrl {
  /** The full public URL. */
  readonly url: string;
  /** Where it came from, for the diagnostic log line. */
  readonly source: string;
}

/**
 * The public URL to check a request's signature against: the `url` option, `TWILIO_WEBHOOK_URL`,
 * `baseUrl` / `PUBLIC_BASE_URL` + path, forwarded headers with `trustProxy`, then the adapter's inference.
 * @param request - the translated request
 * @param options - the webhook options
 * @param env - where TWILIO_WEBHOOK_URL and PUBLIC_BASE_URL are read; default `process.env`, read so that a runtime denying it reads as unset
 */
export function resolvePublicUrl(request: WebhookRequest, options: WebhookOptions, env?: EnvironmentReader): PublicUrl {
  const { configured, ...resolved } = resolveWithCredentials(request, options, env);
  // A Host or forwarded header never holds credentials: `Host: other@a.example.com` stays as it is
  // (and matches no signature) instead of verifying a.example.com's captures wherever it was routed.
  if (!configured) return resolved;
  const url = withoutUserInfo(resolved.url);
  // Twilio sends URL credentials as an Authorization header and signs the URL without them.
  return url === resolved.url ? resolved : { url, source: `${resolved.source}, user:password@ removed` };
}

/** `scheme://user:pass@host/...` without `user:pass@`, by string surgery (docs/design.md, rule 1). */
export function withoutUserInfo(url: string): string {
  const parts = splitUrl(url);
  return parts?.userInfo ? parts.scheme + parts.host + parts.port + parts.rest : url;
}

/** `configured`: the URL came from the user's configuration (options, environment), not from request headers. */
function resolveWithCredentials(
  request: WebhookRequest,
  options: WebhookOptions,
  env: EnvironmentReader | undefined,
): PublicUrl & { configured: boolean } {
  if (typeof options.url === 'function') return { url: options.url(request), source: 'option url (function)', configured: true };
  if (typeof options.url === 'string') return { url: options.url, source: 'option url', configured: true };
  const configuredUrl = env ? env.TWILIO_WEBHOOK_URL : readEnv('TWILIO_WEBHOOK_URL');
  if (configuredUrl) return { url: configuredUrl, source: 'env TWILIO_WEBHOOK_URL', configured: true };

  const path = requestPath(request);
  const baseUrl = options.baseUrl ?? (env ? env.PUBLIC_BASE_URL : readEnv('PUBLIC_BASE_URL'));
  if (baseUrl) {
    return {
      url: joinBaseUrl(baseUrl, path),
      source: options.baseUrl ? 'option baseUrl + platform path' : 'env PUBLIC_BASE_URL + platform path',
      configured: true,
    };
  }
  if (options.trustProxy) {
    const forwarded = forwardedOrigin(request);
    // Only the scheme forwarded: the host is ours, so is the full path the platform saw (stage included).
    const rest = forwarded && !forwarded.hostForwarded ? splitUrl(request.url)?.rest : undefined;
    if (forwarded) return { url: forwarded.origin + (rest ?? path), source: `trustProxy: ${forwarded.from}`, configured: false };
  }
  return { url: request.url, source: request.urlSource ?? 'platform request URL', configured: false };
}

/** The path and query to append to a base URL: the adapter's `path`, else those of the request's URL. */
export function requestPath(request: WebhookRequest): string {
  if (request.path !== undefined) return request.path;
  const parts = splitUrl(request.url);
  const rest = parts ? parts.rest : request.url;
  return rest.startsWith('/') || rest.startsWith('?') || rest === '' ? rest : `/${rest}`;
}

/**
 * `baseUrl` + path, with exactly one `/` between them (string concatenation, never `new URL()`).
 * @param baseUrl - public scheme, host and base path
 * @param path - path and query, e.g. `/sms?x=1`
 */
export function joinBaseUrl(baseUrl: string, path: string): string {
  const base = baseUrl.endsWith('/') ? baseUrl.slice(0, -1) : baseUrl;
  if (path === '' || path.startsWith('?')) return base + path;
  return base + (path.startsWith('/') ? path : `/${path}`);
}

/** `Forwarded` (RFC 7239) first, then the de-facto `X-Forwarded-*` and `X-Original-Host` headers. First hop only. */
function forwardedOrigin(request: WebhookRequest): { origin: string; from: string; hostForwarded: boolean } | undefined {
  const own = splitUrl(request.url);
  const forwarded = firstHeader(request.headers, 'forwarded');
  if (forwarded) {
    const first = forwarded.split(',')[0] ?? '';
    const fields = new Map<string, string>();
    for (const pair of first.split(';')) {
      const eq = pair.indexOf('=');
      if (eq === -1) continue;
      fields.set(
        pair.slice(0, eq).trim().toLowerCase(),
        pair
          .slice(eq + 1)
          .trim()
          .replace(/^"(.*)"$/, '$1'),
      );
    }
    const host = fields.get('host');
    if (host) return { origin: `${fields.get('proto') ?? 'https'}://${host}`, from: 'Forwarded header', hostForwarded: true };
  }
  const host = firstValue(firstHeader(request.headers, 'x-forwarded-host')) ?? firstValue(firstHeader(request.headers, 'x-original-host'));
  const proto = firstValue(firstHeader(request.headers, 'x-forwarded-proto'));
  if (!host && !proto) return undefined;
  const scheme = proto ?? own?.scheme.slice(0, -3) ?? 'https';
  const authority = host ?? (own ? own.host + own.port : '');
  return {
    origin: `${scheme}://${authority}`,
    from: host ? 'X-Forwarded-Host/-Proto headers' : 'X-Forwarded-Proto header',
    hostForwarded: host !== undefined,
  };
}

function firstValue(header: string | undefined): string | undefined {
  const value = header?.split(',')[0]?.trim();
  return value ? value : undefined;
}

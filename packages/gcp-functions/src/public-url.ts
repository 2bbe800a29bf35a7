/**
 * The public URL of a Google Cloud Functions HTTP function, from what the Functions Framework's
 * Express request carries. Express is told to trust
 * `X-Forwarded-*`, our policy is not (docs/design.md, rule 3): the URL is built from the Host header and
 * `req.originalUrl`, by string concatenation.
 */
import type { AlternateUrl, WebhookHeaders } from '@twiml-guard/core';
import { firstHeader } from '@twiml-guard/core/adapter';

/** The public URL inferred from a Functions Framework request, where it came from, and what the request could not say. */
export interface GcpUrlInference {
  readonly url: string;
  readonly path: string;
  readonly urlSource: string;
  readonly urlNotes: string[];
  readonly alternateUrls: AlternateUrl[];
}

/** The environment variables the URL inference reads (set by Cloud Functions and Cloud Run). */
export interface GcpFunctionEnv {
  readonly K_SERVICE?: string;
  readonly FUNCTION_TARGET?: string;
  readonly FUNCTION_NAME?: string;
}

const LOCAL_HOST = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?$/i;
/** gen1 (and v2-API functions) default host: `REGION-PROJECT.cloudfunctions.net`. */
const CLOUDFUNCTIONS_HOST = /^[a-z0-9]+(-[a-z0-9]+)+-[a-z0-9-]+\.cloudfunctions\.net(:\d+)?$/i;
const RUN_APP_HOST = /\.run\.app(:\d+)?$/i;
const FIREBASE_HOST = /\.(web\.app|firebaseapp\.com)$/i;

/**
 * The public URL Twilio most likely called, from the Host header and `req.originalUrl` (gen1's
 * function-name prefix restored), by string concatenation.
 * @param host - the Host header
 * @param originalUrl - `req.originalUrl`
 * @param headers - the request's lower-cased headers
 * @param trustProxy - honour forwarded-host headers
 * @param env - the function's environment
 * @returns the URL, its path, its source, notes for diagnostics, and alternate URLs to try
 */
export function inferGcpPublicUrl(
  host: string,
  originalUrl: string,
  headers: WebhookHeaders,
  trustProxy: boolean,
  env: GcpFunctionEnv,
): GcpUrlInference {
  const urlNotes: string[] = [];
  const alternateUrls: AlternateUrl[] = [];
  const local = LOCAL_HOST.test(host);
  // Google's front ends terminate TLS: the container sees plain HTTP, the client used https.
  const origin = `${local ? 'http' : 'https'}://${host}`;
  const schemeWhy = local ? 'http for a local host' : 'https (Google front ends terminate TLS)';
  let url = origin + originalUrl;
  let urlSource = `Host header + req.originalUrl, ${schemeWhy}`;

  if (CLOUDFUNCTIONS_HOST.test(host)) {
    const functionName = env.K_SERVICE ?? env.FUNCTION_TARGET ?? env.FUNCTION_NAME;
    if (!functionName) {
      urlNotes.push(
        'cloudfunctions.net host but none of K_SERVICE, FUNCTION_TARGET, FUNCTION_NAME is set: the function name that gen1 strips from the path cannot be put back; set url',
      );
    } else if (startsWithSegment(originalUrl, functionName)) {
      // gen2 functions served on cloudfunctions.net keep the name in the path.
      urlSource = `Host header + req.originalUrl (already starts with /${functionName}), ${schemeWhy}`;
      alternateUrls.push({
        url: `${origin}/${functionName}${originalUrl}`,
        label: `gen1 with the function name /${functionName} put back`,
      });
    } else {
      url = `${origin}/${functionName}${originalUrl === '/' ? '' : originalUrl.startsWith('/?') ? originalUrl.slice(1) : originalUrl}`;
      urlSource = `gen1: Host header + /${functionName} (stripped by the platform; from ${nameSource(env)}) + req.originalUrl, ${schemeWhy}`;
      alternateUrls.push({ url: origin + originalUrl, label: 'without the function name (Cloud Run semantics)' });
    }
  } else if (!local && !RUN_APP_HOST.test(host)) {
    urlNotes.push(`custom host ${host} (domain mapping or load balancer): if Twilio calls a different URL, set url or baseUrl`);
  }

  const forwardedHost = firstHeader(headers, 'x-forwarded-host')?.split(',')[0]?.trim();
  if (forwardedHost && forwardedHost.toLowerCase() !== host.toLowerCase()) {
    if (FIREBASE_HOST.test(forwardedHost)) {
      urlNotes.push(
        `Firebase Hosting rewrite in front (X-Forwarded-Host ${forwardedHost}): set url, or baseUrl "https://${forwardedHost}" (the path the function sees is appended)`,
      );
    } else if (!trustProxy) {
      urlNotes.push(
        `a proxy in front sent X-Forwarded-Host ${forwardedHost}, ignored because trustProxy is off: set baseUrl, or trustProxy if you control that proxy`,
      );
    }
    if (!trustProxy)
      alternateUrls.push({
        url: `https://${forwardedHost}${originalUrl}`,
        label: 'the X-Forwarded-Host URL (a proxy or Firebase Hosting in front)',
      });
  }

  return { url, path: originalUrl, urlSource, urlNotes, alternateUrls };
}

function startsWithSegment(path: string, segment: string): boolean {
  const prefix = `/${segment}`;
  if (!path.startsWith(prefix)) return false;
  const next = path.charAt(prefix.length);
  return next === '' || next === '/' || next === '?';
}

function nameSource(env: GcpFunctionEnv): string {
  if (env.K_SERVICE) return 'K_SERVICE';
  return env.FUNCTION_TARGET ? 'FUNCTION_TARGET' : 'FUNCTION_NAME';
}

/** Twilio recommends HTTPS and will not connect to self-signed certificates: say so once per container. */
import { splitUrl } from './url-variants.js';
import { redactUrl } from './redact-url.js';
import type { Logger } from './logger.js';

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);
let warned = false;

/**
 * `true` for a plain `http://` URL on a host that is not local: Twilio should call it over HTTPS.
 * @param url - the public URL
 */
export function isInsecurePublicUrl(url: string): boolean {
  // Every request asks: answer https (nearly all of them) without splitting the URL.
  if (!/^http:/i.test(url)) return false;
  const parts = splitUrl(url);
  if (parts?.scheme.toLowerCase() !== 'http://') return false;
  return !LOCAL_HOSTS.has(parts.host.toLowerCase()) && !parts.host.toLowerCase().endsWith('.localhost');
}

/** Logs the plain-HTTP warning once per container. */
export function warnOnceIfInsecure(url: string, logger: Logger): void {
  if (warned || !isInsecurePublicUrl(url)) return;
  warned = true;
  logger.warn({
    msg: 'the public webhook URL is plain http on a non-local host: Twilio recommends https (and refuses self-signed certificates); Basic/Digest credentials and request data travel in clear text',
    url: redactUrl(url),
  });
}

/** For tests: forget that the warning was given. */
export function resetHttpsWarning(): void {
  warned = false;
}

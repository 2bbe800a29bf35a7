/**
 * Which Lambda integration sent an event, from its shape alone:
 * `requestContext.elb` → ALB; `requestContext.http` → payload 2.0 (a `lambda-url` host → Function URL);
 * `httpMethod` + `path` with `version: "1.0"` → HTTP API payload 1.0, without `version` → REST API.
 * A REST event may carry an undocumented `rawPath`, so `rawPath` never decides.
 */

/** The Lambda integrations twiml-guard answers for. */
export type EventSource = 'rest-v1' | 'http-v1' | 'http-v2' | 'function-url' | 'alb';

const LAMBDA_URL_DOMAIN = /\.lambda-url\.[a-z0-9-]+\.on\.aws(?::\d+)?$/i;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Which Lambda integration sent an event, from its shape alone.
 * @param event - the event Lambda passed to the handler
 * @returns `'rest-v1'`, `'http-v1'`, `'http-v2'`, `'function-url'` or `'alb'`; `undefined` for anything else
 */
export function detectSource(event: unknown): EventSource | undefined {
  if (!isObject(event)) return undefined;
  const context = event.requestContext;
  if (!isObject(context)) return undefined;
  if (isObject(context.elb)) return 'alb';
  if (isObject(context.http)) {
    const domain = typeof context.domainName === 'string' ? context.domainName : '';
    return LAMBDA_URL_DOMAIN.test(domain) ? 'function-url' : 'http-v2';
  }
  if (typeof event.httpMethod === 'string' && typeof event.path === 'string') {
    return event.version === '1.0' ? 'http-v1' : 'rest-v1';
  }
  return undefined;
}

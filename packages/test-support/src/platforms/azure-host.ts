/**
 * Builds `HttpRequest`s the way the Functions host hands them to the worker: the host formats
 * `{scheme}://{Host}{Path}{QueryString}` (GrpcMessageConversionExtensions) after the App Service
 * fix-ups (DISGUISED-HOST → Host, X-Forwarded-Proto → scheme), and `@azure/functions` passes that
 * string through undici's `Request`.
 */
import { HttpRequest, InvocationContext } from '@azure/functions';

export { ACCOUNT_SID, AUTH_TOKEN, sign, smsForm } from './sms-form.js';
export { flatLogger as memoryLogger } from '../flat-logger.js';

export interface HostRequest {
  readonly method?: string;
  readonly scheme?: 'https' | 'http';
  /** The Host header the client sent. */
  readonly host: string;
  /** Path and query exactly as on the request line. */
  readonly target: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  readonly params?: Record<string, string>;
  /** Linux Consumption / App Service apply them; older Windows runtimes did not. */
  readonly appServiceFixups?: boolean;
}

export function hostFormattedUrl(request: HostRequest): string {
  const headers = request.headers ?? {};
  const fixups = request.appServiceFixups ?? true;
  const scheme = fixups && headers['x-forwarded-proto'] ? headers['x-forwarded-proto'] : (request.scheme ?? 'https');
  const host = fixups && headers['disguised-host'] ? headers['disguised-host'] : request.host;
  return `${scheme}://${host}${request.target}`;
}

export function hostRequest(request: HostRequest): HttpRequest {
  return new HttpRequest({
    method: request.method ?? 'POST',
    url: hostFormattedUrl(request),
    headers: { host: request.host, ...request.headers },
    ...(request.body !== undefined ? { body: { string: request.body } } : {}),
    ...(request.params ? { params: request.params } : {}),
  });
}

export function invocationContext(functionName = 'sms'): InvocationContext {
  return new InvocationContext({ functionName, invocationId: 'test-invocation', logHandler: () => undefined });
}

export const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

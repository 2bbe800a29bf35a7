/**
 * Builds `HttpRequest`s the way the Functions host hands them to the worker: the host formats
 * `{scheme}://{Host}{Path}{QueryString}` (GrpcMessageConversionExtensions) after the App Service
 * fix-ups (DISGUISED-HOST → Host, X-Forwarded-Proto → scheme), and `@azure/functions` passes that
 * string through undici's `Request`.
 */
import { HttpRequest, InvocationContext } from '@azure/functions';

import { sign, smsForm } from './sms-form.js';

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

export interface SignedSmsRequest extends Omit<HostRequest, 'body'> {
  /** The URL the signature is made over (Twilio signs the URL it was configured with). */
  readonly signedUrl: string;
  /** The auth token that signs; `AUTH_TOKEN` by default. */
  readonly token?: string;
}

/** `smsForm()` POSTed as the host hands it to the worker, with the signature the `twilio` package makes over `signedUrl`; `headers` are added. */
export function signedSmsRequest(request: SignedSmsRequest): HttpRequest {
  const { signedUrl, token, headers, ...shape } = request;
  const form = smsForm();
  return hostRequest({
    ...shape,
    headers: { ...FORM, ...headers, 'x-twilio-signature': sign(signedUrl, form.params, token) },
    body: form.body,
  });
}

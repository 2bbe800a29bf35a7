/** Real HTTP requests to a Functions Framework test server, with the Host header of the real platform. */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { rawHttp } from '../raw-http.js';
import { sign, smsForm } from './sms-form.js';

export { ACCOUNT_SID, AUTH_TOKEN, sign, smsForm } from './sms-form.js';
export { flatLogger as memoryLogger } from '../flat-logger.js';
export const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

export interface SentRequest {
  readonly method?: string;
  /** Sent verbatim on the request line (node:http keeps ' and + as they are). */
  readonly path: string;
  readonly host: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
}

export interface Received {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

export async function listen(server: Server): Promise<{ port: number; close: () => Promise<void> }> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function send(port: number, sent: SentRequest): Promise<Received> {
  const body = sent.body ?? '';
  return rawHttp(
    port,
    {
      method: sent.method ?? 'POST',
      path: sent.path,
      setHost: false,
      headers: { host: sent.host, ...(body ? { 'content-length': String(Buffer.byteLength(body)) } : {}), ...sent.headers },
    },
    body,
  );
}

export interface SignedSms {
  readonly host: string;
  readonly path: string;
  /** The URL the signature is made over (Twilio signs the URL it was configured with). */
  readonly signedUrl: string;
  /** The auth token that signs; `AUTH_TOKEN` by default. */
  readonly token?: string;
}

/** POSTs `smsForm()` to `host` + `path`, with the signature the `twilio` package makes over `signedUrl`. */
export function sendSignedSms(port: number, request: SignedSms): Promise<Received> {
  const form = smsForm();
  return send(port, {
    host: request.host,
    path: request.path,
    headers: { ...FORM, 'x-twilio-signature': sign(request.signedUrl, form.params, request.token) },
    body: form.body,
  });
}

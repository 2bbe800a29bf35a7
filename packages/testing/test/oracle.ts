/** Server-side checks written with the twilio package and Node built-ins only, independent of the code under test. */
import { createHash } from 'node:crypto';
import twilio from 'twilio';
import type { ReceivedRequest } from './local-server.js';

/** Form fields as URLSearchParams decodes them, repeated keys as arrays. */
export function decodeForm(body: string): Record<string, string | string[]> {
  // No prototype: a field may be called `valueOf` or `__proto__`.
  const out = Object.create(null) as Record<string, string | string[]>;
  for (const [key, value] of new URLSearchParams(body)) {
    const existing = out[key];
    out[key] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return out;
}

/** Does twilio accept this request as received on `base`? (The URL is rebuilt from the request line.) */
export function twilioAccepts(request: ReceivedRequest, base: string, token: string): boolean {
  const signature = request.headers['x-twilio-signature'];
  if (typeof signature !== 'string') return false;
  const url = base + request.target;
  if (url.includes('bodySHA256=')) return twilio.validateRequestWithBody(token, signature, url, request.body.toString('utf8'));
  return twilio.validateRequest(token, signature, url, request.method === 'GET' ? {} : decodeForm(request.body.toString('utf8')));
}

/** `name=value` / `name="quoted"` pairs of an Authorization header. */
export function authParams(header: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const match of header.matchAll(/([A-Za-z0-9-]+)=(?:"((?:[^"\\]|\\.)*)"|([^,\s]+))/g)) {
    out[(match[1] as string).toLowerCase()] = match[2] !== undefined ? match[2].replace(/\\(.)/g, '$1') : (match[3] as string);
  }
  return out;
}

/** The response a Digest server expects for qop=auth (RFC 7616 §3.4.1), computed from scratch. */
export function expectedDigestResponse(input: {
  algorithm: 'md5' | 'sha256';
  session?: boolean;
  username: string;
  password: string;
  realm: string;
  nonce: string;
  nc: string;
  cnonce: string;
  method: string;
  uri: string;
}): string {
  const h = (text: string): string => createHash(input.algorithm).update(text, 'utf8').digest('hex');
  let ha1 = h(`${input.username}:${input.realm}:${input.password}`);
  if (input.session) ha1 = h(`${ha1}:${input.nonce}:${input.cnonce}`);
  const ha2 = h(`${input.method}:${input.uri}`);
  return h(`${ha1}:${input.nonce}:${input.nc}:${input.cnonce}:auth:${ha2}`);
}

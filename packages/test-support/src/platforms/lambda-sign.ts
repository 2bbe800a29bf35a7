/** Signs fixture events with the `twilio` package (the oracle), for the URL Twilio would have called. */
import twilio from 'twilio';
import type { Fixture } from './lambda-events.js';

export const AUTH_TOKEN = '0123456789abcdef0123456789abcdef';
export const OTHER_TOKEN = 'fedcba9876543210fedcba9876543210';

/** Form params the way Twilio signs them: repeated keys as arrays. */
export function formParams(body: string): Record<string, string | string[]> {
  const params: Record<string, string | string[]> = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const existing = params[key];
    params[key] = existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
  }
  return params;
}

export function decodedBody(event: Record<string, unknown>): string {
  const body = String(event.body ?? '');
  return event.isBase64Encoded ? Buffer.from(body, 'base64').toString('utf8') : body;
}

/** A deep copy of the event with the signature header set (in both header maps where the event has both). */
export function withHeader(event: Record<string, unknown>, name: string, value: string): Record<string, unknown> {
  const copy = structuredClone(event);
  if (copy.headers && typeof copy.headers === 'object') (copy.headers as Record<string, string>)[name] = value;
  if (copy.multiValueHeaders && typeof copy.multiValueHeaders === 'object')
    (copy.multiValueHeaders as Record<string, string[]>)[name] = [value];
  return copy;
}

/** Replaces the `__HASH__` placeholder of JSON fixtures with the body's real SHA-256. */
export function resolveFixture(fixture: Fixture): Fixture {
  if (fixture.kind !== 'json') return fixture;
  const hash = twilio.getExpectedBodyHash(decodedBody(fixture.event));
  const event = structuredClone(fixture.event);
  if (typeof event.rawQueryString === 'string') event.rawQueryString = event.rawQueryString.replace('__HASH__', hash);
  return { ...fixture, event, trueUrl: fixture.trueUrl.replace('__HASH__', hash) };
}

export function signatureFor(fixture: Fixture, token: string, url = fixture.trueUrl): string {
  const params = fixture.kind === 'json' ? {} : formParams(decodedBody(fixture.event));
  return twilio.getExpectedTwilioSignature(token, url, params);
}

export function signedEvent(fixture: Fixture, token: string = AUTH_TOKEN): Record<string, unknown> {
  return withHeader(fixture.event, fixture.signatureHeader, signatureFor(fixture, token));
}

export interface CapturedLog {
  level: string;
  entry: Record<string, unknown>;
}

export function captureLogger(): {
  logs: CapturedLog[];
  logger: { info: (e: object) => void; warn: (e: object) => void; error: (e: object) => void };
} {
  const logs: CapturedLog[] = [];
  const push = (level: string) => (entry: object) => logs.push({ level, entry: entry as Record<string, unknown> });
  return { logs, logger: { info: push('info'), warn: push('warn'), error: push('error') } };
}

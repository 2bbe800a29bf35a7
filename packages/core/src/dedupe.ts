/**
 * Opt-in suppression of duplicate deliveries. Twilio signatures carry no timestamp, so a captured
 * request stays valid until the token rotates, and Twilio itself retries on timeouts. A delivery is
 * a duplicate when its signature (signed content: replays) or its `I-Twilio-Idempotency-Token`
 * (Twilio's retries) was seen within the TTL. The duplicate gets the first delivery's response
 * again — a retried call still gets its TwiML — and the handler does not run twice.
 */
import { createHash } from 'node:crypto';
import { singleHeader } from './headers.js';
import { describeError, type Logger } from './logger.js';
import type { TwilioWebhookEvent, WebhookResponse } from './types.js';

const DEFAULT_TTL_MS = 24 * 60 * 60 * 1000;

export interface DedupeStore {
  /** The response stored for any of the keys, if one is. */
  get(keys: readonly string[]): Promise<WebhookResponse | undefined> | WebhookResponse | undefined;
  /** Stores the response under every key for `ttlMs`. */
  set(keys: readonly string[], response: WebhookResponse, ttlMs: number): Promise<void> | void;
}

export interface DedupeOptions {
  /** Default 24 hours: longer than Twilio's retry window. */
  readonly ttlMs?: number;
  /** Default: in memory, per container (duplicates across containers pass: bring a shared store for those). */
  readonly store?: DedupeStore;
}

/** Keys are hashes: the store never holds a signature. */
export function dedupeKeys(signature: string | undefined, idempotencyToken?: string): string[] {
  const hash = (text: string): string => createHash('sha256').update(text).digest('base64url');
  const keys: string[] = [];
  if (signature) keys.push(`sig:${hash(signature)}`);
  if (idempotencyToken) keys.push(`idem:${hash(idempotencyToken)}`);
  return keys;
}

export function memoryDedupeStore(maxEntries = 10_000, now: () => number = Date.now): DedupeStore {
  const entries = new Map<string, { response: WebhookResponse; expiresAt: number }>();
  return {
    get(keys) {
      for (const key of keys) {
        const entry = entries.get(key);
        if (!entry) continue;
        if (entry.expiresAt > now()) return entry.response;
        entries.delete(key);
      }
      return undefined;
    },
    set(keys, response, ttlMs) {
      for (const key of keys) {
        entries.delete(key);
        entries.set(key, { response, expiresAt: now() + ttlMs });
        if (entries.size > maxEntries) {
          const oldest = entries.keys().next().value;
          if (oldest !== undefined) entries.delete(oldest);
        }
      }
    },
  };
}

export type Deduplicator = (event: TwilioWebhookEvent, run: () => Promise<WebhookResponse>) => Promise<WebhookResponse>;

/**
 * Wraps the handler run: a duplicate of a delivery still in flight waits for it; a duplicate of a
 * finished one gets its stored response. 5xx responses are not stored, so Twilio's retry runs again.
 * A store that fails is logged and bypassed: suppression is best effort, the webhook keeps working.
 */
export function createDeduplicator(options: DedupeOptions, logger: Logger, adapter: string): Deduplicator {
  const ttlMs = options.ttlMs ?? DEFAULT_TTL_MS;
  const store = options.store ?? memoryDedupeStore();
  const inFlight = new Map<string, Promise<WebhookResponse>>();

  return (event, run) => {
    const signature = singleHeader(event.headers, 'x-twilio-signature').value;
    const keys = dedupeKeys(signature, event.idempotencyToken);
    if (keys.length === 0) return run();
    for (const key of keys) {
      const pending = inFlight.get(key);
      if (pending) {
        logger.info({ msg: 'duplicate delivery while the first is in flight: answering with its response', adapter });
        return pending.then(copyResponse);
      }
    }
    const delivery = (async (): Promise<WebhookResponse> => {
      const seen = await Promise.resolve(store.get(keys)).catch((error: unknown) => {
        logger.warn({ msg: 'dedupe store read failed; handling the request as new', adapter, error: describeError(error) });
        return undefined;
      });
      if (seen) {
        logger.info({ msg: 'duplicate delivery (replay or Twilio retry): answering with the stored response', adapter });
        return copyResponse(seen);
      }
      const response = await run();
      if (response.status < 500) {
        await Promise.resolve(store.set(keys, copyResponse(response), ttlMs)).catch((error: unknown) => {
          logger.warn({ msg: 'dedupe store write failed', adapter, error: describeError(error) });
        });
      }
      return response;
    })();
    for (const key of keys) inFlight.set(key, delivery);
    const forget = (): void => {
      for (const key of keys) if (inFlight.get(key) === delivery) inFlight.delete(key);
    };
    delivery.then(forget, forget);
    return delivery;
  };
}

function copyResponse(response: WebhookResponse): WebhookResponse {
  return { status: response.status, headers: { ...response.headers }, body: response.body };
}

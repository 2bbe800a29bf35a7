/**
 * Opt-in suppression of duplicate deliveries. Twilio signatures carry no timestamp, so a captured
 * request stays valid until the token rotates, and Twilio itself retries on timeouts. A delivery is
 * a duplicate when its signature (the signed URL and parameters: replays and Twilio's retries alike)
 * was seen within the TTL. The duplicate gets the first delivery's response
 * again — a retried call still gets its TwiML — and the handler does not run twice.
 *
 * Across containers (a shared store), the first delivery claims its keys with an in-flight marker
 * before running; a retry that finds the marker waits for the stored response instead of running.
 */
import { sha256 } from './crypto/index.js';
import { isPromise, syncResult, type MaybePromise } from './crypto/maybe.js';
import { singleHeader } from './headers.js';
import { describeError, type Logger } from './logger.js';
import { refusal } from './refusal.js';
import type { TwilioWebhookEvent, WebhookResponse } from './types.js';

const DEFAULT_TTL_MS = 24 * 60 * 60 * 1000;
/** Twilio gives up on a webhook after 15 s: a retry waits a little less for the first delivery. */
const DEFAULT_WAIT_MS = 12_000;
const POLL_MS = 50;
const IN_FLIGHT_STATUS = 102;

/**
 * Where `dedupe` keeps the responses it may replay: in memory per instance by default
 * (`memoryDedupeStore`), or a store shared by every instance (Redis, DynamoDB, ...) that you implement.
 * Keys are hashes; a store never holds a signature.
 */
export interface DedupeStore {
  /** The response stored for any of the keys, if one is. */
  get(keys: readonly string[]): Promise<WebhookResponse | undefined> | WebhookResponse | undefined;
  /** Stores the response under every key for `ttlMs`. */
  set(keys: readonly string[], response: WebhookResponse, ttlMs: number): Promise<void> | void;
  /**
   * Atomically stores `response` under the keys only if none of them holds anything (Redis `SET NX`,
   * a DynamoDB conditional put); `true` when stored. Without it, claiming is get-then-set: two
   * containers racing within a few milliseconds may both run.
   */
  claim?(keys: readonly string[], response: WebhookResponse, ttlMs: number): Promise<boolean> | boolean;
  /** Forgets the keys (a failed delivery, so Twilio's retry runs). Without it, a 1 ms entry replaces them. */
  delete?(keys: readonly string[]): Promise<void> | void;
}

/**
 * How `dedupe` suppresses duplicate deliveries (`dedupe: true` uses every default).
 *
 * @example
 * ```ts
 * import { twilioWebhook } from '@twiml-guard/aws-lambda'; // or any adapter
 *
 * export const handler = twilioWebhook(handleSms, { dedupe: { ttlMs: 60 * 60 * 1000, store: myRedisStore } });
 * ```
 */
export interface DedupeOptions {
  /**
   * How long a response is kept for replay, in milliseconds: longer than Twilio's retry window.
   * @default 86400000 (24 hours)
   */
  readonly ttlMs?: number;
  /**
   * Where responses are kept. The default is per container: duplicates that reach another container
   * run again, so bring a shared store for those.
   * @default `memoryDedupeStore()`: in memory, per container
   */
  readonly store?: DedupeStore;
  /**
   * How long a duplicate waits for a delivery still running in another container before answering 409,
   * in milliseconds (Twilio gives up after 15 s).
   * @default 12000
   */
  readonly waitMs?: number;
}

/**
 * Keys are hashes: the store never holds a signature. A signed request is keyed by its signature
 * alone: a Twilio retry repeats the same signed request, and the idempotency header is not signed,
 * so keying on it would let a replayed capture carrying another delivery's token steal its answer.
 * Only unsigned traffic (`validate: false`) falls back to the idempotency token.
 * Node only (synchronous); everywhere: `dedupeKeysAsync`.
 * @param signature - the `X-Twilio-Signature` header, if any
 * @param idempotencyToken - the `I-Twilio-Idempotency-Token` header, used only when there is no signature
 * @returns the store keys (hashes), none when there is neither
 */
export function dedupeKeys(signature: string | undefined, idempotencyToken?: string): string[] {
  return syncResult(dedupeKeysMaybe(signature, idempotencyToken), 'dedupeKeys', 'dedupeKeysAsync');
}

/**
 * `dedupeKeys` on every runtime (WebCrypto where there is no `node:crypto`).
 * @param signature - the `X-Twilio-Signature` header, if any
 * @param idempotencyToken - the `I-Twilio-Idempotency-Token` header, used only when there is no signature
 * @returns the store keys (hashes), none when there is neither
 */
export async function dedupeKeysAsync(signature: string | undefined, idempotencyToken?: string): Promise<string[]> {
  return dedupeKeysMaybe(signature, idempotencyToken);
}

function dedupeKeysMaybe(signature: string | undefined, idempotencyToken?: string): MaybePromise<string[]> {
  const key = (prefix: string, text: string): MaybePromise<string[]> => {
    const hash = sha256(text, 'base64url');
    return isPromise(hash) ? hash.then((digest) => [prefix + digest]) : [prefix + hash];
  };
  if (signature) return key('sig:', signature);
  return idempotencyToken ? key('idem:', idempotencyToken) : [];
}

/**
 * The default `DedupeStore`: a map in this instance's memory, oldest entry dropped first when full.
 * @param maxEntries - the most keys kept
 * @param now - the clock, in epoch milliseconds (tests pass their own)
 * @returns a store whose `claim` is atomic within the instance
 */
export function memoryDedupeStore(maxEntries = 10_000, now: () => number = Date.now): DedupeStore {
  const entries = new Map<string, { response: WebhookResponse; expiresAt: number }>();
  const get = (keys: readonly string[]): WebhookResponse | undefined => {
    for (const key of keys) {
      const entry = entries.get(key);
      if (!entry) continue;
      if (entry.expiresAt > now()) return entry.response;
      entries.delete(key);
    }
    return undefined;
  };
  const set = (keys: readonly string[], response: WebhookResponse, ttlMs: number): void => {
    for (const key of keys) {
      entries.delete(key);
      entries.set(key, { response, expiresAt: now() + ttlMs });
      if (entries.size > maxEntries) {
        const oldest = entries.keys().next().value;
        if (oldest !== undefined) entries.delete(oldest);
      }
    }
  };
  return {
    get,
    set,
    // One thread: check-and-set with no await in between is atomic.
    claim: (keys, response, ttlMs) => {
      if (get(keys) !== undefined) return false;
      set(keys, response, ttlMs);
      return true;
    },
    delete: (keys) => {
      for (const key of keys) entries.delete(key);
    },
  };
}

/** Runs a verified request's handler once per delivery: returns the first response again for a duplicate. */
export type Deduplicator = (event: TwilioWebhookEvent, run: () => Promise<WebhookResponse>) => Promise<WebhookResponse>;

/**
 * Wraps the handler run: a duplicate of a delivery still in flight here shares its promise; one in
 * flight in another container waits for the stored response; a finished one gets the stored response.
 * 5xx responses are not stored, so Twilio's retry runs again. A store that fails is logged and
 * bypassed: suppression is best effort, the webhook keeps working.
 * @param options - the `dedupe` option
 * @param logger - where replays and store failures are logged
 * @param adapter - the adapter's name, for log lines
 */
export function createDeduplicator(options: DedupeOptions, logger: Logger, adapter: string): Deduplicator {
  const ttlMs = options.ttlMs ?? DEFAULT_TTL_MS;
  const waitMs = options.waitMs ?? DEFAULT_WAIT_MS;
  const store = options.store ?? memoryDedupeStore();
  const inFlight = new Map<string, Promise<WebhookResponse>>();
  const marker: WebhookResponse = { status: IN_FLIGHT_STATUS, headers: {}, body: '' };
  // Outlives any duplicate's wait, so within it a vanished marker means the first delivery failed
  // (run this one); a dead container's marker still expires for Twilio's next retry.
  const markerTtlMs = 2 * waitMs;

  const attempt = async <T>(what: string, action: () => T | Promise<T>, fallback: T): Promise<T> => {
    try {
      return await action();
    } catch (error) {
      logger.warn({ msg: `dedupe store ${what} failed; handling the request as new`, adapter, error: describeError(error) });
      return fallback;
    }
  };

  /** The first delivery runs elsewhere: poll for its response; if it failed (marker gone), run this one. */
  const waitForFinished = async (
    keys: readonly string[],
    run: () => Promise<WebhookResponse>,
    deadline: number,
  ): Promise<WebhookResponse> => {
    while (Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      const stored = await attempt('read', () => store.get(keys), undefined);
      if (stored === undefined) return deliver(keys, run, deadline);
      if (stored.status !== IN_FLIGHT_STATUS) return replay(stored, 'the first delivery finished in another container');
    }
    logger.warn({
      msg: 'duplicate delivery while the first is still running elsewhere: not running the handler twice',
      adapter,
      status: 409,
    });
    return refusal(409, 'Conflict');
  };

  const replay = (stored: WebhookResponse, why: string): WebhookResponse => {
    logger.info({ msg: `duplicate delivery (replay or Twilio retry): answering with the stored response; ${why}`, adapter });
    return copyResponse(stored);
  };

  const deliver = async (
    keys: readonly string[],
    run: () => Promise<WebhookResponse>,
    deadline = Date.now() + waitMs,
  ): Promise<WebhookResponse> => {
    const seen = await attempt('read', () => store.get(keys), undefined);
    if (seen) return seen.status === IN_FLIGHT_STATUS ? waitForFinished(keys, run, deadline) : replay(seen, 'seen before');
    const claimed = await attempt(
      'claim',
      async () => {
        if (store.claim) return store.claim(keys, marker, markerTtlMs);
        await store.set(keys, marker, markerTtlMs);
        return true;
      },
      true,
    );
    if (!claimed) return waitForFinished(keys, run, deadline);

    const response = await run();
    if (response.status < 500) {
      await attempt('write', () => store.set(keys, copyResponse(response), ttlMs), undefined);
    } else {
      await attempt('delete', () => (store.delete ? store.delete(keys) : store.set(keys, marker, 1)), undefined);
    }
    return response;
  };

  const deduplicate = (keys: readonly string[], run: () => Promise<WebhookResponse>): Promise<WebhookResponse> => {
    if (keys.length === 0) return run();
    for (const key of keys) {
      const pending = inFlight.get(key);
      if (pending) {
        logger.info({ msg: 'duplicate delivery while the first is in flight here: answering with its response', adapter });
        return pending.then(copyResponse);
      }
    }
    const delivery = deliver(keys, run);
    for (const key of keys) inFlight.set(key, delivery);
    const forget = (): void => {
      for (const key of keys) if (inFlight.get(key) === delivery) inFlight.delete(key);
    };
    delivery.then(forget, forget);
    return delivery;
  };

  return (event, run) => {
    const signature = singleHeader(event.headers, 'x-twilio-signature').value;
    const keys = dedupeKeysMaybe(signature, event.idempotencyToken);
    return isPromise(keys) ? keys.then((resolved) => deduplicate(resolved, run)) : deduplicate(keys, run);
  };
}

function copyResponse(response: WebhookResponse): WebhookResponse {
  return { status: response.status, headers: { ...response.headers }, body: response.body };
}

/**
 * Replays and Twilio retries. A Twilio signature carries no timestamp, so a captured request stays
 * valid until the token rotates; Twilio also retries a delivery (same I-Twilio-Idempotency-Token)
 * when the function is slow. With the opt-in `dedupe` option the handler runs once per delivery and
 * a duplicate gets the first response again. Through two adapters' real request paths.
 */
import { memoryDedupeStore, type DedupeStore, type WebhookOptions, type WebhookRequest, type WebhookResponse } from '@twiml-guard/core';
import { capturingLogger, signedFormRequest, smsParams, twilioSignature } from '@twiml-guard/test-support';
import { platformNamed, type AnyHandler } from '@twiml-guard/test-support/hardening/platforms';

const TOKEN = '5eed5eed5eed5eed5eed5eed5eed5eed';
const FORGER = '0bad0bad0bad0bad0bad0bad0bad0bad';
const IDEMPOTENCY = 'i-twilio-idempotency-token';

type MapStore = DedupeStore & {
  entries: Map<string, { response: WebhookResponse; expiresAt: number }>;
  gets: number;
  sets: number;
  claims: number;
};

/**
 * A Map-backed store with asynchronous calls, as a Redis or DynamoDB store would be; it counts what
 * it is asked. With `atomicClaim`, `claim` checks and sets in one step (Redis SET NX).
 */
function asyncMapStore(options: { now?: () => number; atomicClaim?: boolean } = {}): MapStore {
  const now = options.now ?? Date.now;
  const entries = new Map<string, { response: WebhookResponse; expiresAt: number }>();
  const tick = () => new Promise<void>((resolve) => setImmediate(resolve));
  const live = (keys: readonly string[]) => {
    for (const key of keys) {
      const entry = entries.get(key);
      if (entry && entry.expiresAt > now()) return entry.response;
    }
    return undefined;
  };
  const store: MapStore = {
    entries,
    gets: 0,
    sets: 0,
    claims: 0,
    async get(keys) {
      store.gets++;
      await tick();
      return live(keys);
    },
    async set(keys, response, ttlMs) {
      store.sets++;
      await tick();
      for (const key of keys) entries.set(key, { response, expiresAt: now() + ttlMs });
    },
    async delete(keys) {
      await tick();
      for (const key of keys) entries.delete(key);
    },
  };
  if (options.atomicClaim) {
    store.claim = async (keys, response, ttlMs) => {
      store.claims++;
      await tick();
      if (live(keys) !== undefined) return false;
      for (const key of keys) entries.set(key, { response, expiresAt: now() + ttlMs });
      return true;
    };
  }
  return store;
}

/** What the store holds for a key, final responses only (a delivery in flight is held as a marker). */
const storedStatuses = (store: MapStore) => [...store.entries.values()].map((entry) => entry.response.status);

/** A handler that numbers its runs, so a replayed answer is recognisably the first one. */
function countingHandler() {
  let runs = 0;
  const handler = jest.fn<ReturnType<AnyHandler>, Parameters<AnyHandler>>(() => `<Response><Message>run ${++runs}</Message></Response>`);
  return handler;
}

function deferred() {
  let release!: () => void;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  return { released, release };
}

describe.each([['aws-lambda http-v2'], ['fetch']] as const)('dedupe through %s', (platformName) => {
  const platform = platformNamed(platformName);
  const deliveryFor = (params = smsParams(), headers: Record<string, string> = {}) =>
    signedFormRequest({ token: TOKEN, url: platform.publicUrl, params, headers });
  const deploy = (handler: AnyHandler, options: WebhookOptions = {}) =>
    platform.deploy(handler, { authToken: TOKEN, logger: capturingLogger(), dedupe: true, ...options });

  test('off by default: a replayed request runs the handler again (signatures carry no timestamp)', async () => {
    const handler = countingHandler();
    const deliver = platform.deploy(handler, { authToken: TOKEN, logger: capturingLogger() });
    const captured = deliveryFor();
    expect((await deliver(captured)).status).toBe(200);
    expect((await deliver(captured)).status).toBe(200);
    expect(handler).toHaveBeenCalledTimes(2);
  });

  test('a replay of a captured request gets the first response; the handler runs once', async () => {
    const handler = countingHandler();
    const deliver = deploy(handler);
    const captured = deliveryFor();
    const first = await deliver(captured);
    const replay = await deliver(captured);
    expect(first).toMatchObject({
      status: 200,
      body: '<Response><Message>run 1</Message></Response>',
      contentType: 'text/xml; charset=utf-8',
    });
    expect(replay).toEqual(first);
    expect(handler).toHaveBeenCalledTimes(1);
  });

  test('a Twilio retry (same I-Twilio-Idempotency-Token, same signed content) is answered from the first delivery', async () => {
    const handler = countingHandler();
    const deliver = deploy(handler);
    const token = 'a9a4c3c0-1f2e-4b5d-9c8e-7f6a5b4c3d2e';
    const first = await deliver(deliveryFor(smsParams(), { [IDEMPOTENCY]: token }));
    const retry = await deliver(deliveryFor(smsParams(), { [IDEMPOTENCY]: token }));
    expect(retry).toEqual(first);
    expect(handler).toHaveBeenCalledTimes(1);
  });

  test("the same I-Twilio-Idempotency-Token on a different signed request is NOT a duplicate (the header is unsigned: a replayed capture carrying another delivery's token must not steal its answer)", async () => {
    const handler = countingHandler();
    const deliver = deploy(handler);
    const token = 'b1b2b3b4-0000-4000-8000-000000000001';
    await deliver(deliveryFor(smsParams({ Body: 'old captured message' }), { [IDEMPOTENCY]: token }));
    const real = await deliver(deliveryFor(smsParams({ Body: 'the real delivery' }), { [IDEMPOTENCY]: token }));
    expect(real.body).toContain('run 2');
    expect(handler).toHaveBeenCalledTimes(2);
  });

  test('concurrent duplicates wait for the first delivery and all get its response', async () => {
    const gate = deferred();
    let runs = 0;
    const handler = jest.fn(async () => {
      runs++;
      await gate.released;
      return `<Response><Message>slow run ${runs}</Message></Response>`;
    });
    const deliver = deploy(handler);
    const captured = deliveryFor(smsParams(), { [IDEMPOTENCY]: 'c0c0c0c0-0000-4000-8000-000000000002' });
    const pending = Array.from({ length: 6 }, () => deliver(captured));
    // Let every duplicate reach the pipeline while the first is still inside the handler.
    await new Promise((resolve) => setImmediate(resolve));
    gate.release();
    const responses = await Promise.all(pending);
    expect(handler).toHaveBeenCalledTimes(1);
    for (const response of responses)
      expect(response).toMatchObject({
        status: 200,
        body: '<Response><Message>slow run 1</Message></Response>',
        contentType: 'text/xml; charset=utf-8',
      });
  });

  test('different deliveries are never suppressed', async () => {
    const handler = countingHandler();
    const deliver = deploy(handler);
    const bodies = ['one', 'two', 'three', 'four'];
    const responses = [];
    for (const [index, body] of bodies.entries()) {
      responses.push(
        await deliver(deliveryFor(smsParams({ Body: body }), { [IDEMPOTENCY]: `d0d0d0d0-0000-4000-8000-00000000000${index}` })),
      );
    }
    // And the same content with another signature (a GET of the same params) is another delivery too.
    responses.push(
      await deliver(signedFormRequest({ token: TOKEN, url: platform.publicUrl, params: smsParams({ Body: 'one' }), method: 'GET' })),
    );
    expect(handler).toHaveBeenCalledTimes(5);
    expect(new Set(responses.map((response) => response.body)).size).toBe(5);
  });

  test('a pluggable async store (Map-backed) holds only hashed keys and suppresses duplicates across containers', async () => {
    const store = asyncMapStore();
    const handler = countingHandler();
    // Two cold containers of the same function, one shared store.
    const containerA = deploy(handler, { dedupe: { store } });
    const containerB = deploy(handler, { dedupe: { store } });
    const idempotencyToken = 'e0e0e0e0-0000-4000-8000-000000000003';
    const captured = deliveryFor(smsParams(), { [IDEMPOTENCY]: idempotencyToken });
    const first = await containerA(captured);
    expect(await containerB(captured)).toEqual(first);
    expect(handler).toHaveBeenCalledTimes(1);
    // Both keys (signature and idempotency token) hold the first response.
    expect(storedStatuses(store)).toEqual([200]);

    const signature = String(captured.headers['x-twilio-signature']);
    const stored = JSON.stringify([...store.entries.keys()]);
    expect(store.entries.size).toBe(1);
    expect(stored).not.toContain(signature);
    expect(stored).not.toContain(idempotencyToken);
    expect(stored).not.toContain(TOKEN);
  });

  test('a Twilio retry that lands on another container while the first delivery is still running is suppressed (shared store)', async () => {
    // Twilio retries a delivery that has not answered yet; on Lambda a busy container never takes a
    // second request, so the retry always runs in another container, while the first is in flight.
    const store = asyncMapStore();
    const gate = deferred();
    const entered = deferred();
    let runs = 0;
    const handler = jest.fn(async () => {
      runs++;
      entered.release();
      await gate.released;
      return `<Response><Message>run ${runs}</Message></Response>`;
    });
    const containerA = deploy(handler, { dedupe: { store } });
    const containerB = deploy(handler, { dedupe: { store } });
    const delivery = deliveryFor(smsParams(), { [IDEMPOTENCY]: 'abab0000-0000-4000-8000-000000000006' });
    const first = containerA(delivery);
    await entered.released;
    const retry = containerB(delivery);
    // Let the retry get as far as it goes (store lookups are a few event-loop turns) before the first finishes.
    for (let turn = 0; turn < 20; turn++) await new Promise((resolve) => setImmediate(resolve));
    gate.release();
    const [firstResponse, retryResponse] = await Promise.all([first, retry]);
    expect(retryResponse).toEqual(firstResponse);
    expect(handler).toHaveBeenCalledTimes(1);
  });

  test('two containers receiving the same delivery at the same moment: with an atomic claim only one runs the handler', async () => {
    const store = asyncMapStore({ atomicClaim: true });
    const handler = countingHandler();
    const containers = Array.from({ length: 4 }, () => deploy(handler, { dedupe: { store } }));
    const delivery = deliveryFor(smsParams(), { [IDEMPOTENCY]: 'acac0000-0000-4000-8000-000000000007' });
    const responses = await Promise.all(containers.map((container) => container(delivery)));
    expect(handler).toHaveBeenCalledTimes(1);
    for (const response of responses) expect(response).toEqual(responses[0]);
    expect(responses[0]).toMatchObject({ status: 200, body: '<Response><Message>run 1</Message></Response>' });
  });

  test('a duplicate whose first delivery never finishes (its container died) gets 409 after waitMs, never a second run', async () => {
    const store = asyncMapStore({ atomicClaim: true });
    const never = deferred();
    const handler = jest.fn(async () => {
      await never.released;
      return '<Response/>';
    });
    const dying = deploy(handler, { dedupe: { store, waitMs: 300 } });
    const other = deploy(handler, { dedupe: { store, waitMs: 300 } });
    const delivery = deliveryFor(smsParams(), { [IDEMPOTENCY]: 'adad0000-0000-4000-8000-000000000008' });
    const stuck = dying(delivery);
    await new Promise((resolve) => setImmediate(resolve));
    const retry = await other(delivery);
    expect(retry.status).toBe(409);
    expect(handler).toHaveBeenCalledTimes(1);
    never.release();
    expect((await stuck).status).toBe(200);
  });

  test('a retry waiting on a first delivery that then fails (500) elsewhere runs the handler itself, as without dedupe', async () => {
    const store = asyncMapStore({ atomicClaim: true });
    const failFirst = deferred();
    const entered = deferred();
    let runs = 0;
    const handler = jest.fn(async () => {
      if (++runs === 1) {
        entered.release();
        await failFirst.released;
        throw new Error('database briefly unreachable');
      }
      return '<Response><Message>handled by the retry</Message></Response>';
    });
    const containerA = deploy(handler, { dedupe: { store, waitMs: 5_000 } });
    const containerB = deploy(handler, { dedupe: { store, waitMs: 5_000 } });
    const delivery = deliveryFor(smsParams(), { [IDEMPOTENCY]: 'afaf0000-0000-4000-8000-00000000000a' });
    const first = containerA(delivery);
    await entered.released;
    const retry = containerB(delivery);
    for (let turn = 0; turn < 20; turn++) await new Promise((resolve) => setImmediate(resolve));
    failFirst.release();
    expect((await first).status).toBe(500);
    // Not a 409: the first delivery left nothing to replay, so this delivery must not be dropped.
    expect(await retry).toMatchObject({ status: 200, body: '<Response><Message>handled by the retry</Message></Response>' });
    expect(handler).toHaveBeenCalledTimes(2);
  });

  test('an in-flight marker left by a dead container expires: a retry after 2 x waitMs runs the handler', async () => {
    let now = 1_800_000_000_000;
    const store = memoryDedupeStore(100, () => now);
    const never = deferred();
    let runs = 0;
    const handler = jest.fn(async () => {
      if (++runs === 1) await never.released;
      return `<Response><Message>run ${runs}</Message></Response>`;
    });
    const dying = deploy(handler, { dedupe: { store, waitMs: 5_000 } });
    const delivery = deliveryFor(smsParams(), { [IDEMPOTENCY]: 'aeae0000-0000-4000-8000-000000000009' });
    void dying(delivery);
    await new Promise((resolve) => setImmediate(resolve));
    // Much later (the container is gone; its marker outlives any duplicate's wait, 2 x waitMs, no more), Twilio's next retry lands elsewhere.
    now += 10_001;
    const later = deploy(handler, { dedupe: { store, waitMs: 5_000 } });
    expect((await later(delivery)).body).toBe('<Response><Message>run 2</Message></Response>');
    never.release();
  });

  test('after the TTL the same delivery is handled again', async () => {
    let now = 1_800_000_000_000;
    const store = memoryDedupeStore(100, () => now);
    const handler = countingHandler();
    const deliver = deploy(handler, { dedupe: { ttlMs: 60_000, store } });
    const captured = deliveryFor();
    await deliver(captured);
    now += 59_999;
    expect((await deliver(captured)).body).toContain('run 1');
    now += 2;
    expect((await deliver(captured)).body).toContain('run 2');
    expect(handler).toHaveBeenCalledTimes(2);
  });

  test('forged requests are refused before dedupe: never stored, and never answered from the store', async () => {
    const store = asyncMapStore();
    const handler = countingHandler();
    const deliver = deploy(handler, { dedupe: { store } });
    const idempotencyToken = 'f0f0f0f0-0000-4000-8000-000000000004';

    // A forged delivery first: 403, and nothing is stored under its idempotency token or signature.
    const forged = signedFormRequest({
      token: FORGER,
      url: platform.publicUrl,
      params: smsParams(),
      headers: { [IDEMPOTENCY]: idempotencyToken },
    });
    expect((await deliver(forged)).status).toBe(403);
    expect(store.gets + store.sets + store.claims).toBe(0);
    expect(store.entries.size).toBe(0);

    // The genuine delivery with that token still runs.
    const genuine = deliveryFor(smsParams(), { [IDEMPOTENCY]: idempotencyToken });
    const first = await deliver(genuine);
    expect(first.status).toBe(200);
    expect(handler).toHaveBeenCalledTimes(1);
    const touchedByGenuine = store.gets + store.sets;

    // A forger who learned the idempotency token (or the signature) cannot fetch the stored TwiML.
    expect((await deliver({ ...forged, headers: { ...forged.headers, [IDEMPOTENCY]: idempotencyToken } })).status).toBe(403);
    const stolenSignature: WebhookRequest = { ...deliveryFor(smsParams({ Body: 'something else' })), headers: { ...genuine.headers } };
    expect((await deliver(stolenSignature)).status).toBe(403);
    expect(handler).toHaveBeenCalledTimes(1);
    expect(store.gets + store.sets).toBe(touchedByGenuine);
  });

  test("a failed delivery (handler threw: 500) is not stored, so Twilio's retry runs the handler again", async () => {
    let attempt = 0;
    const handler = jest.fn(() => {
      if (++attempt === 1) throw new Error('database briefly unreachable');
      return '<Response><Message>ok</Message></Response>';
    });
    const deliver = deploy(handler);
    const captured = deliveryFor(smsParams(), { [IDEMPOTENCY]: 'aaaa0000-0000-4000-8000-000000000005' });
    expect((await deliver(captured)).status).toBe(500);
    expect((await deliver(captured)).status).toBe(200);
    expect((await deliver(captured)).body).toBe('<Response><Message>ok</Message></Response>');
    expect(handler).toHaveBeenCalledTimes(2);
  });

  test('a store that fails is bypassed: the webhook keeps answering', async () => {
    const broken: DedupeStore = {
      get: () => Promise.reject(new Error('redis: connection refused')),
      set: () => Promise.reject(new Error('redis: connection refused')),
    };
    const handler = countingHandler();
    const logger = capturingLogger();
    const deliver = platform.deploy(handler, { authToken: TOKEN, logger, dedupe: { store: broken } });
    const captured = deliveryFor();
    expect((await deliver(captured)).status).toBe(200);
    expect((await deliver(captured)).status).toBe(200);
    expect(logger.at('warn').some((entry) => /dedupe store/.test(String(entry.msg)))).toBe(true);
    expect(logger.text()).not.toContain(String(captured.headers['x-twilio-signature']));
  });

  test('the signature is signed content: another request signed with a copied signature header is refused', async () => {
    const handler = countingHandler();
    const deliver = deploy(handler);
    const captured = deliveryFor();
    await deliver(captured);
    const copied = { ...deliveryFor(smsParams({ Body: 'different' })), headers: { ...captured.headers } };
    expect((await deliver(copied)).status).toBe(403);
    expect(twilioSignature(TOKEN, platform.publicUrl, smsParams())).toBe(captured.headers['x-twilio-signature']);
    expect(handler).toHaveBeenCalledTimes(1);
  });
});

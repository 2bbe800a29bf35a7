/** Opt-in duplicate suppression in the pipeline: replays and Twilio retries run the handler once. */
import { createWebhookHandler, memoryDedupeStore, type DedupeStore, type WebhookResponse } from '@twiml-guard/core';
import { capturingLogger, signedFormRequest, smsParams } from '@twiml-guard/test-support';

const TOKEN = '0123456789abcdef0123456789abcdef';
const URL = 'https://hooks.example.com/sms';

function counter() {
  let calls = 0;
  const handler = async (event: { params: Record<string, unknown> }) => {
    calls += 1;
    await new Promise((resolve) => setTimeout(resolve, 5));
    return `<Response><Message>reply ${calls} to ${String(event.params.Body)}</Message></Response>`;
  };
  return { handler, calls: () => calls };
}

const request = (body: string, idempotencyToken?: string, token = TOKEN) =>
  signedFormRequest({
    token,
    url: URL,
    params: smsParams({ Body: body }),
    headers: idempotencyToken ? { 'i-twilio-idempotency-token': idempotencyToken } : {},
  });

describe('dedupe', () => {
  test('off by default: a replayed request runs the handler again', async () => {
    const { handler, calls } = counter();
    const handle = createWebhookHandler(handler, { authToken: TOKEN, logger: capturingLogger() });
    const captured = request('hi');
    await handle(captured);
    await handle(captured);
    expect(calls()).toBe(2);
  });

  test('a replayed request gets the first response; the handler runs once', async () => {
    const { handler, calls } = counter();
    const logger = capturingLogger();
    const handle = createWebhookHandler(handler, { authToken: TOKEN, dedupe: true, logger });
    const captured = request('hi');
    const first = await handle(captured);
    const again = await handle(captured);
    expect(calls()).toBe(1);
    expect(again).toEqual(first);
    expect(logger.text()).toContain('duplicate delivery');
  });

  test('a Twilio retry (the same signed request) is suppressed; the unsigned idempotency header alone is not a key', async () => {
    const { handler, calls } = counter();
    const handle = createWebhookHandler(handler, { authToken: TOKEN, dedupe: true, logger: capturingLogger() });
    await handle(request('hi', 'idem-1'));
    const retry = await handle(request('hi', 'idem-1'));
    expect(calls()).toBe(1);
    expect(retry.body).toContain('reply 1 to hi<');
    // A replayed capture wearing a later delivery's idempotency token does not answer for it.
    const other = await handle(request('something else', 'idem-1'));
    expect(other.body).toContain('reply 2 to something else<');
  });

  test('concurrent duplicates wait for the first and share its answer', async () => {
    const { handler, calls } = counter();
    const handle = createWebhookHandler(handler, { authToken: TOKEN, dedupe: true, logger: capturingLogger() });
    const captured = request('hi', 'idem-2');
    const responses = await Promise.all(Array.from({ length: 20 }, () => handle(captured)));
    expect(calls()).toBe(1);
    expect(new Set(responses.map((response) => response.body)).size).toBe(1);
  });

  test('different deliveries are not suppressed', async () => {
    const { handler, calls } = counter();
    const handle = createWebhookHandler(handler, { authToken: TOKEN, dedupe: true, logger: capturingLogger() });
    await handle(request('one', 'a'));
    await handle(request('two', 'b'));
    await handle(request('three'));
    expect(calls()).toBe(3);
  });

  test('forged requests are refused and never stored', async () => {
    const { handler, calls } = counter();
    const stored: string[][] = [];
    const store: DedupeStore = { get: () => undefined, set: (keys) => void stored.push([...keys]) };
    const handle = createWebhookHandler(handler, { authToken: TOKEN, dedupe: { store }, logger: capturingLogger() });
    const forged = request('hi', 'idem-3', 'ffffffffffffffffffffffffffffffff');
    expect((await handle(forged)).status).toBe(403);
    expect(stored).toHaveLength(0);
    // The genuine delivery with the same idempotency token is not shadowed by the forgery.
    expect((await handle(request('hi', 'idem-3'))).status).toBe(200);
    expect(calls()).toBe(1);
  });

  test('entries expire after the TTL', async () => {
    let now = 1_000;
    const { handler, calls } = counter();
    const handle = createWebhookHandler(handler, {
      authToken: TOKEN,
      dedupe: { ttlMs: 60_000, store: memoryDedupeStore(100, () => now) },
      logger: capturingLogger(),
    });
    const captured = request('hi');
    await handle(captured);
    now += 59_000;
    await handle(captured);
    expect(calls()).toBe(1);
    now += 2_000;
    await handle(captured);
    expect(calls()).toBe(2);
  });

  test('a pluggable async store is used; keys are hashes, never the signature or token', async () => {
    const map = new Map<string, WebhookResponse>();
    const store: DedupeStore = {
      get: async (keys) => keys.map((key) => map.get(key)).find(Boolean),
      set: async (keys, response) => keys.forEach((key) => map.set(key, response)),
    };
    const { handler, calls } = counter();
    const captured = request('hi', 'idem-4');
    const handleA = createWebhookHandler(handler, { authToken: TOKEN, dedupe: { store }, logger: capturingLogger() });
    const handleB = createWebhookHandler(handler, { authToken: TOKEN, dedupe: { store }, logger: capturingLogger() });
    await handleA(captured);
    // Another container sharing the store.
    await handleB(captured);
    expect(calls()).toBe(1);
    const signature = String(captured.headers['x-twilio-signature']);
    expect([...map.keys()].join(' ')).not.toContain(signature);
    expect([...map.keys()].join(' ')).not.toContain('idem-4');
  });

  test('a failing store is bypassed with a log line: the webhook still answers', async () => {
    const logger = capturingLogger();
    const store: DedupeStore = {
      get: async () => Promise.reject(new Error('store down')),
      set: async () => Promise.reject(new Error('store down')),
    };
    const { handler, calls } = counter();
    const handle = createWebhookHandler(handler, { authToken: TOKEN, dedupe: { store }, logger });
    expect((await handle(request('hi'))).status).toBe(200);
    expect(calls()).toBe(1);
    expect(logger.text()).toContain('dedupe store read failed');
  });

  test("a 5xx is not stored, so Twilio's retry runs the handler again", async () => {
    let calls = 0;
    const handle = createWebhookHandler(
      () => {
        calls += 1;
        if (calls === 1) throw new Error('transient');
        return '<Response/>';
      },
      { authToken: TOKEN, dedupe: true, logger: capturingLogger() },
    );
    const captured = request('hi', 'idem-5');
    expect((await handle(captured)).status).toBe(500);
    expect((await handle(captured)).status).toBe(200);
    expect(calls).toBe(2);
  });
});

describe('dedupe across containers (shared store)', () => {
  const sharedStore = (withClaim: boolean) => {
    const memory = memoryDedupeStore();
    const store: DedupeStore = {
      get: async (keys) => memory.get(keys),
      set: async (keys, response, ttl) => memory.set(keys, response, ttl),
      ...(withClaim
        ? { claim: async (keys: readonly string[], response: WebhookResponse, ttl: number) => memory.claim?.(keys, response, ttl) ?? false }
        : {}),
    };
    return store;
  };

  test.each([true, false])(
    'a retry in another container waits for the first delivery and gets its response (claim: %s)',
    async (withClaim) => {
      const store = sharedStore(withClaim);
      let release: () => void = () => undefined;
      const gate = new Promise<void>((resolve) => (release = resolve));
      let calls = 0;
      const handler = async () => {
        calls += 1;
        await gate;
        return '<Response><Message>first</Message></Response>';
      };
      const containerA = createWebhookHandler(handler, { authToken: TOKEN, dedupe: { store }, logger: capturingLogger() });
      const containerB = createWebhookHandler(handler, { authToken: TOKEN, dedupe: { store }, logger: capturingLogger() });
      const delivery = request('hi', 'idem-x');
      const first = containerA(delivery);
      await new Promise((resolve) => setTimeout(resolve, 10));
      const retry = containerB(delivery);
      setTimeout(release, 120);
      const [a, b] = await Promise.all([first, retry]);
      expect(calls).toBe(1);
      expect(b).toEqual(a);
    },
  );

  test('a retry that waits longer than waitMs gets 409 and the handler still runs once', async () => {
    const store = sharedStore(true);
    let calls = 0;
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const handler = async () => {
      calls += 1;
      await gate;
      return '<Response/>';
    };
    const logger = capturingLogger();
    const containerA = createWebhookHandler(handler, { authToken: TOKEN, dedupe: { store, waitMs: 200 }, logger });
    const containerB = createWebhookHandler(handler, { authToken: TOKEN, dedupe: { store, waitMs: 200 }, logger });
    const delivery = request('hi', 'idem-y');
    const first = containerA(delivery);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect((await containerB(delivery)).status).toBe(409);
    release();
    expect((await first).status).toBe(200);
    expect(calls).toBe(1);
    expect(logger.text()).toContain('still running elsewhere');
  });
});

/**
 * Attack on the webhook's token cache during a rotation. The rotation waits out the cache TTL before
 * it promotes, so every cache that can read the store holds the new token by then. A webhook instance
 * whose store reads fail (throttling, a timeout, a broken identity) keeps serving its last tokens
 * past the TTL (stale-if-error). After the promotion those are the old tokens only: a request Twilio
 * signed with the new token cannot be told from a forged one. The honest answer is 503 (the token
 * store is unavailable; Twilio's fallback URL or retry applies), never a 403 that drops a legitimate
 * webhook as forged, and never the handler.
 */
import { cachedTokenSource, createWebhookHandler, type TokenList, type TokenSource } from '@twiml-guard/core';
import { capturingLogger, signedFormRequest, smsParams } from '@twiml-guard/test-support';

const URL = 'https://hooks.example.com/sms';
const OLD_TOKEN = '00112233445566778899aabbccddeeff';
const NEW_TOKEN = 'ffeeddccbbaa99887766554433221100';
const TTL_MS = 5 * 60_000;

function instance() {
  const clock = { now: 1_000_000 };
  const store = { tokens: [OLD_TOKEN] as TokenList, failing: false };
  const source: TokenSource = {
    description: 'secret-store',
    getTokens: async () => {
      if (store.failing) throw new Error('ThrottlingException');
      return store.tokens;
    },
  };
  const logger = capturingLogger();
  const handler = jest.fn(() => undefined);
  const handle = createWebhookHandler(handler, { authToken: cachedTokenSource(source, { now: () => clock.now, ttlMs: TTL_MS }), logger });
  const sign = (token: string) => signedFormRequest({ token, url: URL, params: smsParams() });
  return { clock, store, handle, handler, logger, sign };
}

test('an instance that cannot re-read the store after a promotion answers 503 to the new token, not 403, and recovers', async () => {
  const { clock, store, handle, handler, logger, sign } = instance();
  expect((await handle(sign(OLD_TOKEN))).status).toBe(200);

  // This instance's reads start failing; the rotation stages, waits out the TTL, promotes and commits.
  store.failing = true;
  store.tokens = [NEW_TOKEN, { value: OLD_TOKEN, role: 'previous', expiresAt: clock.now + TTL_MS + 60_000 + 15 * 60_000 }];
  clock.now += TTL_MS + 60_000;

  const legitimate = await handle(sign(NEW_TOKEN));
  expect(legitimate.status).toBe(503);
  expect(handler).toHaveBeenCalledTimes(1);
  // A forged signature is not accepted either (503 as well: the instance cannot tell them apart).
  expect((await handle(sign('a-forged-token'))).status).not.toBe(200);
  expect(handler).toHaveBeenCalledTimes(1);
  // Still signed with the old token (in flight from before the promotion): the stale tokens accept it.
  expect((await handle(sign(OLD_TOKEN))).status).toBe(200);

  store.failing = false;
  clock.now += 10_000;
  expect((await handle(sign(NEW_TOKEN))).status).toBe(200);
  expect(logger.text()).not.toContain(NEW_TOKEN);
  expect(logger.text()).not.toContain(OLD_TOKEN);
});

test('within the TTL a miss whose re-read fails stays a 403 (a fresh cache read after the pending token was stored: a forged signature)', async () => {
  const { clock, store, handle, sign } = instance();
  expect((await handle(sign(OLD_TOKEN))).status).toBe(200);
  store.failing = true;
  clock.now += 60_000;
  expect((await handle(sign('a-forged-token'))).status).toBe(403);
});

/**
 * Attacks on the cache wait's anchor (when the pending token was stored) that held: a resumed rotation
 * whose recorded time is malformed, missing, or in the future (written by a runner whose clock is
 * ahead) waits the full cache TTL + settle from now, never less (a shorter wait would promote before
 * every webhook cache holds the pending token) and never unboundedly more.
 */
import { officialTwilioAuthTokens } from '@twiml-guard/aws-lambda/rotation';
import { rotateTwilioAuthToken, type RotationSecretStore, type TwilioTokenSecret } from '@twiml-guard/core/rotation';
import { ACCOUNT_SID, FIRST_TOKEN, collectingLogger } from '@twiml-guard/test-support/rotation-fixtures';
import {
  fakeTwilioClientOptions,
  startTwilioAccountsFake,
  type TwilioAccountsFake,
} from '@twiml-guard/test-support/fakes/twilio-accounts-fake';

let twilioFake: TwilioAccountsFake;
beforeEach(async () => {
  twilioFake = await startTwilioAccountsFake(ACCOUNT_SID, FIRST_TOKEN);
});
afterEach(() => twilioFake.close());

const TTL = 300_000;
const SETTLE = 5_000;

test.each([
  ['malformed', () => 'not a date'],
  ['missing', () => undefined],
  ['an hour ahead (skewed writer)', (now: number) => new Date(now + 3_600_000).toISOString()],
])('pendingAuthTokenStoredAt %s: the resumed rotation waits the full TTL + settle', async (_kind, storedAt) => {
  const api = officialTwilioAuthTokens({ clientOptions: fakeTwilioClientOptions(twilioFake) });
  const pending = await api.createSecondary({ accountSid: ACCOUNT_SID, authToken: FIRST_TOKEN });
  let clock = Date.now();
  const recorded = storedAt(clock);
  let value: TwilioTokenSecret = {
    accountSid: ACCOUNT_SID,
    authToken: FIRST_TOKEN,
    pendingAuthToken: pending,
    ...(recorded !== undefined ? { pendingAuthTokenStoredAt: recorded } : {}),
  };
  const store: RotationSecretStore = { description: 'memory', read: async () => value, write: async (next) => void (value = next) };
  const sleeps: number[] = [];
  const { logger, entries } = collectingLogger();
  const outcome = await rotateTwilioAuthToken({
    store,
    twilio: api,
    cacheTtlMs: TTL,
    settleMs: SETTLE,
    now: () => clock,
    sleep: async (ms) => void (sleeps.push(ms), (clock += ms)),
    logger,
  });
  expect(outcome).toMatchObject({ status: 'rotated', startedAt: 'pending-staged', waitedMs: TTL + SETTLE });
  expect(sleeps[0]).toBe(TTL + SETTLE);
  expect(value.authToken).toBe(pending);
  expect(twilioFake.primaries).toEqual([FIRST_TOKEN, pending]);
  expect(JSON.stringify(entries)).not.toContain(pending);
});

/**
 * The core protocol with an in-memory store and the local Twilio fake (through the real `twilio`
 * client): where a rotation resumes from each intermediate state, the refusals that need a human,
 * the secret format, and that no token reaches a log line.
 */
import { officialTwilioAuthTokens } from '@twiml-guard/aws-lambda/rotation';
import { parseSecretPayload } from '@twiml-guard/core';
import {
  inspectRotation,
  parseRotationSecret,
  promotedSecret,
  remainingWaitMs,
  rotateTwilioAuthToken,
  rotationTimingFromEnv,
  withPendingToken,
  type RotationSecretStore,
  type TwilioAuthTokensApi,
  type TwilioTokenSecret,
} from '@twiml-guard/core/rotation';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';
import { ACCOUNT_SID, FIRST_TOKEN, collectingLogger } from '@twiml-guard/test-support/rotation-fixtures';
import {
  fakeTwilioClientOptions,
  newAuthToken,
  startTwilioAccountsFake,
  type TwilioAccountsFake,
} from '@twiml-guard/test-support/fakes/twilio-accounts-fake';

let twilioFake: TwilioAccountsFake;
let api: TwilioAuthTokensApi;

beforeEach(async () => {
  twilioFake = await startTwilioAccountsFake(ACCOUNT_SID, FIRST_TOKEN);
  api = officialTwilioAuthTokens({ clientOptions: fakeTwilioClientOptions(twilioFake) });
});
afterEach(() => twilioFake.close());

function memoryStore(initial: TwilioTokenSecret) {
  const writes: { secret: TwilioTokenSecret; phase: string }[] = [];
  let value = initial;
  const store: RotationSecretStore = {
    description: 'memory',
    read: async () => value,
    write: async (secret, phase) => {
      writes.push({ secret, phase });
      value = secret;
    },
  };
  return { store, writes, current: () => value };
}

const base = (): TwilioTokenSecret => ({ accountSid: ACCOUNT_SID, authToken: FIRST_TOKEN });
const options = { cacheTtlMs: 0, settleMs: 0 };

test('phases are read from Twilio: idle, pending-staged, pending-stale, promoted', async () => {
  const tokens = { accountSid: ACCOUNT_SID, current: FIRST_TOKEN };
  expect(await inspectRotation(tokens, api)).toBe('idle');
  const pending = await api.createSecondary({ accountSid: ACCOUNT_SID, authToken: FIRST_TOKEN });
  expect(await inspectRotation({ ...tokens, pending }, api)).toBe('pending-staged');
  expect(await inspectRotation({ ...tokens, pending: newAuthToken() }, api)).toBe('pending-stale');
  await api.promote({ accountSid: ACCOUNT_SID, authToken: FIRST_TOKEN });
  expect(await inspectRotation({ ...tokens, pending }, api)).toBe('promoted');
  await expect(inspectRotation(tokens, api)).rejects.toThrow("put the account's current auth token into the secret by hand");
  await expect(inspectRotation({ ...tokens, pending: newAuthToken() }, api)).rejects.toThrow('refuses both');
});

test('a stale pending token (the secondary was deleted) is staged again before promotion', async () => {
  const { store, writes } = memoryStore(withPendingToken(base(), newAuthToken(), Date.now()));
  const outcome = await rotateTwilioAuthToken({ store, twilio: api, ...options });
  expect(outcome.startedAt).toBe('pending-stale');
  expect(writes.map((write) => write.phase)).toEqual(['pending', 'committed']);
  expect(writes[1]?.secret.authToken).toBe(twilioFake.primary);
});

test('a staged pending token is promoted without creating another; the wait counts from when it was stored', async () => {
  const pending = await api.createSecondary({ accountSid: ACCOUNT_SID, authToken: FIRST_TOKEN });
  const storedAt = Date.now() - 40_000;
  const { store, writes } = memoryStore(withPendingToken(base(), pending, storedAt));
  const sleeps: number[] = [];
  const outcome = await rotateTwilioAuthToken({
    store,
    twilio: api,
    cacheTtlMs: 60_000,
    settleMs: 0,
    sleep: async (ms) => void sleeps.push(ms),
  });
  expect(outcome.startedAt).toBe('pending-staged');
  expect(sleeps).toHaveLength(1);
  expect(sleeps[0]).toBeGreaterThan(15_000);
  expect(sleeps[0]).toBeLessThanOrEqual(20_000);
  expect(twilioFake.calls.filter((call) => call === 'POST /v1/AuthTokens/Secondary')).toHaveLength(1);
  expect(writes.map((write) => write.phase)).toEqual(['committed']);
  expect(twilioFake.primary).toBe(pending);
});

test('the committed secret keeps unknown fields, names the old token previous until the grace ends, and parses for validators', async () => {
  const { store, current } = memoryStore({
    ...base(),
    validationUrl: 'https://api.twilio.com/x',
    previousAuthToken: 'e'.repeat(32),
    previousAuthTokenExpiresAt: '2000-01-01T00:00:00Z',
  });
  const now = Date.parse('2026-11-30T10:00:00Z');
  await rotateTwilioAuthToken({ store, twilio: api, ...options, previousGraceMs: 60_000, now: () => now });
  expect(current()).toEqual({
    accountSid: ACCOUNT_SID,
    authToken: twilioFake.primary,
    validationUrl: 'https://api.twilio.com/x',
    previousAuthToken: FIRST_TOKEN,
    previousAuthTokenExpiresAt: '2026-11-30T10:01:00.000Z',
  });
  expect(parseSecretPayload(JSON.stringify(current()), ACCOUNT_SID)).toEqual([
    { value: twilioFake.primary, role: 'current', accountSid: ACCOUNT_SID },
    { value: FIRST_TOKEN, role: 'previous', expiresAt: now + 60_000, accountSid: ACCOUNT_SID },
  ]);
  // A pending secret parses with both tokens accepted.
  const pending = withPendingToken(base(), 'f'.repeat(32), now);
  expect(parseSecretPayload(JSON.stringify(pending), ACCOUNT_SID).map((entry) => entry.role)).toEqual(['current', 'pending']);
  // Grace 0 (after a leak): the old token is not kept at all.
  expect(promotedSecret(pending, 'f'.repeat(32), now, 0)).toEqual({ accountSid: ACCOUNT_SID, authToken: 'f'.repeat(32) });
});

test('rotation secrets: bare tokens need a configured AccountSid; another account or a malformed value is refused without echoing it', () => {
  expect(parseRotationSecret(` ${FIRST_TOKEN} `, ACCOUNT_SID)).toEqual({ accountSid: ACCOUNT_SID, authToken: FIRST_TOKEN });
  expect(() => parseRotationSecret(FIRST_TOKEN)).toThrow('no valid "accountSid"');
  expect(() => parseRotationSecret(JSON.stringify({ accountSid: `AC${'f'.repeat(32)}`, authToken: FIRST_TOKEN }), ACCOUNT_SID)).toThrow(
    'belongs to',
  );
  for (const bad of ['', '{"accountSid":', JSON.stringify({ accountSid: ACCOUNT_SID })]) {
    try {
      parseRotationSecret(bad);
      throw new Error('accepted');
    } catch (error) {
      expect((error as Error).name).toBe('TokenNotConfiguredError');
      if (bad.length > 2) expect((error as Error).message).not.toContain(bad);
    }
  }
});

test('timing: remaining wait, environment variables', () => {
  const now = () => 1_000_000;
  expect(remainingWaitMs(1_000_000 - 10_000, { cacheTtlMs: 60_000, settleMs: 5_000, now })).toBe(55_000);
  expect(remainingWaitMs(1_000_000 - 90_000, { cacheTtlMs: 60_000, settleMs: 5_000, now })).toBe(0);
  expect(remainingWaitMs(undefined, { cacheTtlMs: 60_000, settleMs: 5_000, now })).toBe(65_000);
  // A stored time in the future (clock skew) counts from now.
  expect(remainingWaitMs(2_000_000, { cacheTtlMs: 60_000, settleMs: 0, now })).toBe(60_000);
  expect(rotationTimingFromEnv({ TWILIO_TOKEN_CACHE_TTL_SECONDS: '30', TWILIO_PREVIOUS_TOKEN_GRACE_SECONDS: '0' })).toEqual({
    cacheTtlMs: 30_000,
    previousGraceMs: 0,
  });
  expect(rotationTimingFromEnv({ TWILIO_TOKEN_CACHE_TTL_SECONDS: 'soon', TWILIO_PREVIOUS_TOKEN_GRACE_SECONDS: '-1' })).toEqual({});
});

test('no token appears in any log line of a rotation, a resumed one, or a failed one', async () => {
  const { logger, entries } = collectingLogger();
  const { store } = memoryStore(base());
  await rotateTwilioAuthToken({ store, twilio: api, ...options, logger });
  const resumed = memoryStore(
    withPendingToken(
      { accountSid: ACCOUNT_SID, authToken: twilioFake.primary },
      await api.createSecondary({ accountSid: ACCOUNT_SID, authToken: twilioFake.primary }),
      Date.now(),
    ),
  );
  await rotateTwilioAuthToken({ store: resumed.store, twilio: api, ...options, logger });
  const broken = memoryStore({ accountSid: ACCOUNT_SID, authToken: newAuthToken() });
  await expect(rotateTwilioAuthToken({ store: broken.store, twilio: api, ...options, logger })).rejects.toThrow('by hand');
  expect(entries.length).toBeGreaterThan(4);
  const text = JSON.stringify(entries);
  for (const token of [...twilioFake.primaries, broken.current().authToken]) expect(text).not.toContain(token);
});

test('suppressEmailNotification reaches Twilio on every call that changes a token, and every twilio version the packages allow sends it', async () => {
  const quiet = officialTwilioAuthTokens({ clientOptions: fakeTwilioClientOptions(twilioFake), suppressEmailNotification: true });
  // An orphan secondary first, so the rotation's DELETE has something to delete.
  await quiet.createSecondary({ accountSid: ACCOUNT_SID, authToken: FIRST_TOKEN });
  const { store } = memoryStore(base());
  await rotateTwilioAuthToken({ store, twilio: quiet, ...options });
  const changes = twilioFake.calls.filter((call) => !call.startsWith('GET '));
  expect(changes).toEqual(
    expect.arrayContaining(['POST /v1/AuthTokens/Secondary', 'DELETE /v1/AuthTokens/Secondary', 'POST /v1/AuthTokens/Promote']),
  );
  expect(twilioFake.suppressed).toEqual(changes);
  // twilio-node sends SuppressEmailNotification from 6.2.0 on; older clients drop it silently.
  for (const name of ['aws-lambda', 'azure-functions', 'gcp-functions', 'twilio-functions']) {
    const manifest = JSON.parse(readFileSync(join(__dirname, `../../../../packages/${name}/package.json`), 'utf8')) as {
      peerDependencies?: Record<string, string>;
    };
    const range = manifest.peerDependencies?.twilio ?? '';
    expect({ name, lowest: semver.minVersion(range)?.version }).toEqual({ name, lowest: '6.2.0' });
  }
});

describe('Twilio behaviour the docs leave open: every plausible answer', () => {
  const modes = [];
  for (const deleteWithoutSecondary of ['not-found', 'no-content'] as const) {
    for (const createWhenSecondaryExists of ['replace', 'conflict'] as const) {
      for (const tokenManagement of ['either', 'primary'] as const) {
        for (const oldTokenAuthenticatesForMs of [0, 250])
          modes.push({ deleteWithoutSecondary, createWhenSecondaryExists, tokenManagement, oldTokenAuthenticatesForMs });
      }
    }
  }

  test.each(modes)('%o: one promotion, an orphan secondary replaced, the store ends on the primary', async (mode) => {
    Object.assign(twilioFake.modes, mode);
    // An orphan secondary from a crashed attempt, and a pending token the store lost track of.
    await api.createSecondary({ accountSid: ACCOUNT_SID, authToken: FIRST_TOKEN });
    const { store, current } = memoryStore(base());
    const outcome = await rotateTwilioAuthToken({
      store,
      twilio: api,
      ...options,
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.min(ms, 50))),
    });
    expect(outcome.status).toBe('rotated');
    expect(twilioFake.primaries).toHaveLength(2);
    expect(current().authToken).toBe(twilioFake.primary);
    expect(twilioFake.secondary).toBeUndefined();
    // Tokens are managed with the primary only (the secondary may not be allowed to).
    const management = twilioFake.calls
      .map((call, i) => [call, twilioFake.credentials[i]])
      .filter(([call]) => String(call).includes('/AuthTokens/'));
    expect(management.filter(([, used]) => used !== 'primary')).toEqual([]);
    // A second rotation right away (the old token may still authenticate for a moment).
    await rotateTwilioAuthToken({
      store,
      twilio: api,
      ...options,
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.min(ms, 50))),
    });
    expect(twilioFake.primaries).toHaveLength(3);
    expect(current().authToken).toBe(twilioFake.primary);
  });

  test('the fake tells the credentials apart: the secondary authenticates REST calls but may not manage tokens in primary-only mode', async () => {
    twilioFake.modes.tokenManagement = 'primary';
    const secondary = await api.createSecondary({ accountSid: ACCOUNT_SID, authToken: FIRST_TOKEN });
    expect(await api.authenticates({ accountSid: ACCOUNT_SID, authToken: secondary })).toBe(true);
    await expect(api.promote({ accountSid: ACCOUNT_SID, authToken: secondary })).rejects.toMatchObject({ status: 403, code: 20403 });
    expect(twilioFake.credentials.slice(-2)).toEqual(['secondary', 'secondary']);
    await api.deleteSecondary({ accountSid: ACCOUNT_SID, authToken: FIRST_TOKEN });
    await expect(api.promote({ accountSid: ACCOUNT_SID, authToken: FIRST_TOKEN })).rejects.toMatchObject({ status: 404, code: 20404 });
    expect(await api.deleteSecondary({ accountSid: ACCOUNT_SID, authToken: FIRST_TOKEN })).toBe(false);
  });

  test('Twilio still accepting the old token right after Promote: verification asks again instead of failing', async () => {
    twilioFake.modes.oldTokenAuthenticatesForMs = 400;
    const { store, current } = memoryStore(base());
    const sleeps: number[] = [];
    await rotateTwilioAuthToken({
      store,
      twilio: api,
      ...options,
      sleep: async (ms) => {
        sleeps.push(ms);
        await new Promise((resolve) => setTimeout(resolve, Math.min(ms, 100)));
      },
    });
    expect(sleeps.length).toBeGreaterThan(0);
    expect(current().authToken).toBe(twilioFake.primary);
    expect(twilioFake.primaries).toHaveLength(2);
  });
});

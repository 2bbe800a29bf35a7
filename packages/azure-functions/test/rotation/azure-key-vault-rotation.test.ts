/**
 * The Azure rotation function as the Functions host calls it (an Event Grid event and an
 * `InvocationContext` from `@azure/functions`), writing with the real `SecretClient` to a local Key
 * Vault and calling a local fake of Twilio's auth-token API through the real `twilio` client.
 */
import { InvocationContext } from '@azure/functions';
import { localKeyVaultClient } from '@twiml-guard/test-support/platforms/azure-secret-client';
import { keyVaultTokens, twilioWebhook, type KeyVaultSecretReader } from '@twiml-guard/azure-functions';
import {
  keyVaultRotation,
  keyVaultRotationTimer,
  officialTwilioAuthTokens,
  type KeyVaultEventGridEvent,
  type KeyVaultRotationOptions,
  type KeyVaultSecretWriter,
} from '@twiml-guard/azure-functions/rotation';
import { FORM, hostRequest, invocationContext, sign, smsForm } from '@twiml-guard/test-support/platforms/azure-host';
import { parseRotationSecret, type TwilioAuthTokensApi } from '@twiml-guard/core/rotation';
import { startKeyVaultRotationFake, type KeyVaultRotationFake } from '@twiml-guard/test-support/fakes/key-vault-fake';
import { ACCOUNT_SID, FIRST_TOKEN, collectingLogger, crashesAfterPromote } from '@twiml-guard/test-support/rotation-fixtures';
import { runSignedTraffic } from '@twiml-guard/test-support/signed-traffic';
import {
  fakeTwilioClientOptions,
  newAuthToken,
  startTwilioAccountsFake,
  type TwilioAccountsFake,
} from '@twiml-guard/test-support/fakes/twilio-accounts-fake';

const SECRET = 'twilio-auth-token';
const DAY_S = 24 * 60 * 60;

let vault: KeyVaultRotationFake;
let twilioFake: TwilioAccountsFake;

beforeEach(async () => {
  vault = await startKeyVaultRotationFake(
    SECRET,
    JSON.stringify({ accountSid: ACCOUNT_SID, authToken: FIRST_TOKEN }),
    Math.floor(Date.now() / 1000) + 30 * DAY_S,
  );
  twilioFake = await startTwilioAccountsFake(ACCOUNT_SID, FIRST_TOKEN);
});
afterEach(async () => {
  await Promise.all([vault.close(), twilioFake.close()]);
});

function secretClient(): KeyVaultSecretWriter {
  return localKeyVaultClient(vault.url) as unknown as KeyVaultSecretWriter;
}

function rotation(twilio?: TwilioAuthTokensApi, extra: Partial<KeyVaultRotationOptions> = {}) {
  const { logger, entries } = collectingLogger();
  const options: KeyVaultRotationOptions = {
    secretName: SECRET,
    client: secretClient(),
    validityDays: 60,
    clientOptions: fakeTwilioClientOptions(twilioFake),
    ...(twilio ? { twilio } : {}),
    cacheTtlMs: 0,
    settleMs: 0,
    logger,
    ...extra,
  };
  const handler = keyVaultRotation(options);
  const timer = keyVaultRotationTimer(options);
  const deliver = (event: KeyVaultEventGridEvent) =>
    handler(event, new InvocationContext({ functionName: 'rotateTwilioAuthToken', invocationId: event.id ?? 'x' }));
  const tick = () =>
    timer({ isPastDue: false }, new InvocationContext({ functionName: 'finishTwilioAuthTokenRotation', invocationId: 'timer' }));
  /** Event Grid delivers the event (the function records the request), then the timer function runs. */
  const invoke = async (event: KeyVaultEventGridEvent) => {
    const result = await deliver(event);
    return result?.status === 'requested' ? tick() : result;
  };
  return { invoke, deliver, tick, entries };
}

/** What Key Vault publishes 30 days before a version expires (data as on the wire: PascalCase). */
function nearExpiry(
  id: string,
  version = vault.versions[0]?.version ?? '',
  eventType = 'Microsoft.KeyVault.SecretNearExpiry',
): KeyVaultEventGridEvent {
  return {
    id,
    eventType,
    subject: SECRET,
    data: {
      Id: `${vault.url}/secrets/${SECRET}/${version}`,
      VaultName: 'kv-demo',
      ObjectType: 'Secret',
      ObjectName: SECRET,
      Version: version,
      NBF: null,
      EXP: vault.versions[0]?.exp,
    },
  };
}

const latest = () => parseRotationSecret(vault.latest()?.value ?? '');

test('SecretNearExpiry rotates and every new version carries an expiry (or the next event would never fire)', async () => {
  const { invoke } = rotation();
  const before = Math.floor(Date.now() / 1000);
  const outcome = await invoke(nearExpiry('event-1'));
  expect(outcome?.status).toBe('rotated');
  expect(vault.versions).toHaveLength(3);
  expect(vault.versions.map((version) => version.tags.rotation)).toEqual([undefined, 'pending', 'committed']);
  for (const version of vault.versions.slice(1)) {
    expect(version.exp).toBeGreaterThanOrEqual(before + 60 * DAY_S - 5);
    expect(version.exp).toBeLessThanOrEqual(Math.floor(Date.now() / 1000) + 60 * DAY_S + 5);
    expect(version.contentType).toBe('application/json');
  }
  expect(parseRotationSecret(vault.versions[1]?.value ?? '')).toMatchObject({
    authToken: FIRST_TOKEN,
    pendingAuthToken: twilioFake.primary,
  });
  expect(latest()).toMatchObject({ accountSid: ACCOUNT_SID, authToken: twilioFake.primary, previousAuthToken: FIRST_TOKEN });
  expect(twilioFake.primaries).toHaveLength(2);
});

test('at-least-once delivery: the same event again, or a near-expiry of an older version, does nothing', async () => {
  const { invoke, entries } = rotation();
  const first = nearExpiry('event-1');
  await invoke(first);
  expect(await invoke(first)).toBeUndefined();
  expect(await invoke(nearExpiry('event-2', vault.versions[1]?.version))).toBeUndefined();
  expect(vault.versions).toHaveLength(3);
  expect(twilioFake.primaries).toHaveLength(2);
  expect(entries.map((entry) => entry.msg)).toContain(
    'rotation: the event is about an older version and no rotation is in progress; nothing to do',
  );
});

test('the next rotation starts from the committed version (its own near-expiry event)', async () => {
  const { invoke } = rotation();
  await invoke(nearExpiry('event-1'));
  await invoke(nearExpiry('event-2', vault.latest()?.version));
  expect(twilioFake.primaries).toHaveLength(3);
  expect(latest()).toMatchObject({ authToken: twilioFake.primaries[2], previousAuthToken: twilioFake.primaries[1] });
});

test('other event types and other secrets are ignored', async () => {
  const { invoke } = rotation();
  expect(await invoke(nearExpiry('new-version', undefined, 'Microsoft.KeyVault.SecretNewVersionCreated'))).toBeUndefined();
  expect(
    await invoke({ ...nearExpiry('other'), subject: 'another-secret', data: { ObjectName: 'another-secret', Version: 'v' } }),
  ).toBeUndefined();
  expect(vault.versions).toHaveLength(1);
  expect(twilioFake.calls).toEqual([]);
});

test('a crash between Promote and commit, then Event Grid retrying the event, ends consistent', async () => {
  const dying = rotation(crashesAfterPromote(officialTwilioAuthTokens({ clientOptions: fakeTwilioClientOptions(twilioFake) })));
  const event = nearExpiry('event-crash');
  await expect(dying.invoke(event)).rejects.toThrow('process killed');
  expect(latest()).toMatchObject({ authToken: FIRST_TOKEN, pendingAuthToken: twilioFake.primary });

  const retry = rotation();
  expect(await retry.invoke(event)).toMatchObject({ status: 'rotated', startedAt: 'promoted' });
  expect(latest()).toMatchObject({ authToken: twilioFake.primary, previousAuthToken: FIRST_TOKEN });
  expect(latest().pendingAuthToken).toBeUndefined();
  expect(twilioFake.primaries).toHaveLength(2);
  expect(vault.versions).toHaveLength(3);
});

test('signed traffic through azure-functions webhooks (keyVaultTokens, 500 ms cache) during two rotations: 0 legitimate refused, 0 forged accepted', async () => {
  const url = 'https://myapp.azurewebsites.net/api/sms';
  const webhooks = Array.from({ length: 3 }, () =>
    twilioWebhook(() => '<Response/>', {
      authToken: keyVaultTokens({
        secretName: SECRET,
        client: secretClient() as unknown as KeyVaultSecretReader,
        cache: { ttlMs: 500, minRefreshIntervalMs: 60_000 },
      }),
      logger: collectingLogger().logger,
    }),
  );
  const options = {
    secretName: SECRET,
    client: secretClient(),
    clientOptions: fakeTwilioClientOptions(twilioFake),
    cacheTtlMs: 500,
    settleMs: 100,
    logger: collectingLogger().logger,
  };
  const request = keyVaultRotation(options);
  const timer = keyVaultRotationTimer(options);
  const rotate = async (event: KeyVaultEventGridEvent) => {
    await request(event);
    await timer();
  };
  const tally = await runSignedTraffic({
    twilio: twilioFake,
    minimumLegitimate: 1_500,
    sign: (token, forgedUrl, n) => sign(forgedUrl ? `${url}?forged=1` : url, smsForm(`message ${n}`).params, token),
    send: async (n, signature) => {
      const request = hostRequest({
        host: 'myapp.azurewebsites.net',
        target: '/api/sms',
        headers: { ...FORM, 'x-twilio-signature': signature },
        body: smsForm(`message ${n}`).body,
      });
      const { status } = await (webhooks[n % webhooks.length] as (typeof webhooks)[number])(request, invocationContext());
      return status ?? 200;
    },
    rotate: async () => {
      await rotate(nearExpiry('traffic-1'));
      await rotate(nearExpiry('traffic-2', vault.latest()?.version));
    },
  });
  expect(twilioFake.primaries).toHaveLength(3);
  expect(latest().authToken).toBe(twilioFake.primary);
  expect({ refused: tally.legitimateRefused, accepted: tally.forgedAccepted }).toEqual({ refused: 0, accepted: 0 });
  expect(tally.legitimate).toBeGreaterThanOrEqual(1_500);
  expect(tally.forged).toBeGreaterThan(150);
});

test('a rotation that cannot succeed by retrying logs one error line to alert on ("rotation gave up"), without a token', async () => {
  const { invoke, entries } = rotation();
  // Someone rotated the token outside the secret: Twilio refuses the stored one, so no retry can help.
  twilioFake.primary = newAuthToken();
  await expect(invoke(nearExpiry('event-gives-up', undefined, 'Microsoft.KeyVault.SecretExpired'))).rejects.toThrow('by hand');
  const gaveUp = entries.filter((entry) => entry.msg === 'rotation gave up: it needs a person');
  expect(gaveUp).toHaveLength(1);
  expect(gaveUp[0]).toMatchObject({ level: 'error', alert: 'twilio-auth-token-rotation', secretName: SECRET });
  expect(JSON.stringify(entries)).not.toContain(twilioFake.primary);
  expect(entries.filter((entry) => entry.level === 'error')).toHaveLength(1);
});

test("the Event Grid function answers within Event Grid's 30 s: it records the request and never waits out the cache TTL itself", async () => {
  const sleeps: number[] = [];
  const { deliver, tick } = rotation(undefined, { cacheTtlMs: 300_000, settleMs: 5_000, sleep: async (ms) => void sleeps.push(ms) });
  expect(await deliver(nearExpiry('event-fast'))).toEqual({ status: 'requested', eventId: 'event-fast' });
  expect(sleeps).toEqual([]);
  expect(twilioFake.calls).toEqual([]);
  expect(vault.versions).toHaveLength(1);
  expect(vault.versions[0]?.tags).toEqual({ 'rotation-requested': 'event-fast' });
  // The timer function does the rotation, with the wait.
  expect(await tick()).toMatchObject({ status: 'rotated' });
  expect(sleeps).toHaveLength(1);
  expect(sleeps[0]).toBeGreaterThan(300_000);
  expect(twilioFake.primaries).toHaveLength(2);
  // Nothing requested, nothing in progress: the timer does nothing.
  expect(await tick()).toBeUndefined();
});

test('concurrent deliveries (redeliveries, SecretNearExpiry and SecretExpired together, deliveries during the rotation): one rotation, one promotion, the primary always stored', async () => {
  const violations: string[] = [];
  const { deliver, tick } = rotation(undefined, { cacheTtlMs: 200, settleMs: 0 });
  // Key Vault publishes about the version that is nearing expiry: every delivery here, early, late or
  // redelivered, names the version the rotation started from.
  const publishedVersion = vault.versions[0]?.version ?? '';
  const first = nearExpiry('event-a', publishedVersion);
  const during: Promise<unknown>[] = [];
  twilioFake.afterChange = (route) => {
    const stored = vault.versions.length > 0 ? parseRotationSecret(vault.latest()?.value ?? '') : undefined;
    if (![stored?.authToken, stored?.pendingAuthToken, stored?.previousAuthToken].includes(twilioFake.primary)) violations.push(route);
    // A delivery lands at every step of the rotation (between Twilio's answer and the next vault write).
    during.push(deliver(nearExpiry(`event-step${during.length}`, publishedVersion)));
  };
  const results = await Promise.all([
    deliver(first),
    deliver(first),
    deliver(nearExpiry('event-b')),
    deliver(nearExpiry('event-c', undefined, 'Microsoft.KeyVault.SecretExpired')),
  ]);
  expect(results.every((result) => result?.status === 'requested')).toBe(true);
  // More deliveries on a clock while the timer function rotates, whether they land during it or after.
  const late = (async () => {
    const out = [];
    for (let i = 0; i < 5; i++) {
      await new Promise((resolve) => setTimeout(resolve, 40));
      out.push(await deliver(nearExpiry(`event-d${i}`, publishedVersion, i % 2 ? 'Microsoft.KeyVault.SecretExpired' : undefined)));
    }
    return out;
  })();
  expect(await tick()).toMatchObject({ status: 'rotated' });
  // Deliveries after the rotation, about the version it replaced: nothing to do.
  expect(await Promise.all([deliver(first), deliver(nearExpiry('event-e', publishedVersion, 'Microsoft.KeyVault.SecretExpired'))])).toEqual(
    [undefined, undefined],
  );
  expect(during.length).toBeGreaterThan(0);
  // Each is told a rotation is under way, or (once the new version is committed) that its version is old.
  for (const result of [...(await Promise.all(during)), ...(await late)])
    expect([undefined, 'requested']).toContain((result as { status?: string } | undefined)?.status);
  // None of those deliveries asks for another rotation: the next timer run finds nothing to do.
  expect(twilioFake.primaries).toHaveLength(2);
  expect(vault.latest()?.tags['rotation-requested']).toBeUndefined();
  expect(await tick()).toBeUndefined();
  expect(twilioFake.primaries).toHaveLength(2);
  expect(violations).toEqual([]);
});

/** Secret Manager through the real client in REST (fallback) mode, against a local fake; requests through the real framework. */
import * as functions from '@google-cloud/functions-framework';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import {
  defaultSecretManagerSource,
  secretManagerTokens,
  twilioWebhook,
  type SecretManagerTokensOptions,
  type SecretVersionReader,
} from '@twiml-guard/gcp-functions';
import { ACCOUNT_SID, listen, memoryLogger, sendSignedSms } from '@twiml-guard/test-support/platforms/gcp-http-client';
import { localSecretManagerClient } from '@twiml-guard/test-support/platforms/gcp-secret-client';
import { fakeSecret, startSecretManagerFake, type SecretManagerFake } from '@twiml-guard/test-support/fakes/secret-manager-fake';

const CURRENT = 'cccccccccccccccccccccccccccccccc';
const PREVIOUS = 'pppppppppppppppppppppppppppppppp';
const PENDING = 'nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn';
const HOST = 'sms-abc123def-uc.a.run.app';
const SECRET = 'projects/p/secrets/twilio-auth-token';

let store: SecretManagerFake;
const closers: (() => Promise<void>)[] = [];
let registered = 0;

beforeEach(async () => {
  store = await startSecretManagerFake();
  closers.push(() => store.close());
});
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

function client(): SecretVersionReader {
  return localSecretManagerClient(store.port) as unknown as SecretVersionReader;
}

/** Registers a fresh function (the framework's registry is global) and serves it on 127.0.0.1:0. */
async function deploy(options: Partial<SecretManagerTokensOptions> = {}) {
  const logger = memoryLogger();
  const tokens = secretManagerTokens({ name: SECRET, client: client(), ...options });
  const name = `smsSecret${registered++}`;
  functions.http(
    name,
    twilioWebhook(() => '<Response/>', { authToken: tokens, logger }),
  );
  const server = await listen(getTestServer(name));
  closers.push(server.close);
  const call = async (token: string) =>
    (await sendSignedSms(server.port, { host: HOST, path: '/', signedUrl: `https://${HOST}/`, token })).status;
  return { call, tokens, logger };
}

const latestReads = (): number => store.requests.filter((name) => name === `${SECRET}/versions/latest`).length;

describe('secretManagerTokens (real SecretManagerServiceClient over REST, local fake)', () => {
  it('reads versions/latest once and serves later requests from the cache', async () => {
    store.secrets.set(SECRET, fakeSecret(CURRENT));
    const { call } = await deploy();
    expect(await call(CURRENT)).toBe(200);
    expect(await call(CURRENT)).toBe(200);
    expect(latestReads()).toBe(1);
  });

  it('shares one store call between concurrent cold requests (single-flight)', async () => {
    store.secrets.set(SECRET, fakeSecret(CURRENT));
    const { call } = await deploy();
    expect(await Promise.all(Array.from({ length: 8 }, () => call(CURRENT)))).toEqual(Array(8).fill(200));
    expect(latestReads()).toBe(1);
  });

  it('accepts current, pending and unexpired previous tokens from the JSON payload; not an expired previous one', async () => {
    const payload = (expiresAt: string) =>
      JSON.stringify({
        accountSid: ACCOUNT_SID,
        authToken: CURRENT,
        pendingAuthToken: PENDING,
        previousAuthToken: PREVIOUS,
        previousAuthTokenExpiresAt: expiresAt,
      });
    store.secrets.set(SECRET, fakeSecret(payload(new Date(Date.now() + 60_000).toISOString())));
    const warm = await deploy();
    for (const token of [CURRENT, PENDING, PREVIOUS]) expect(await warm.call(token)).toBe(200);

    store.secrets.set(SECRET, fakeSecret(payload(new Date(Date.now() - 1_000).toISOString())));
    const expired = await deploy();
    expect(await expired.call(PREVIOUS)).toBe(403);
    expect(await expired.call(CURRENT)).toBe(200);
  });

  it('with previousVersion, accepts the aliased older version; a missing alias or a disabled version is ignored', async () => {
    const secret = fakeSecret('oooooooooooooooooooooooooooooooo', PREVIOUS, CURRENT);
    secret.aliases.previous = 2;
    store.secrets.set(SECRET, secret);
    expect(await (await deploy({ previousVersion: 'previous' })).call(PREVIOUS)).toBe(200);
    expect(store.requests).toContain(`${SECRET}/versions/previous`);
    expect(await (await deploy()).call(PREVIOUS)).toBe(403);

    secret.disabled.add(2);
    const disabled = await deploy({ previousVersion: 'previous' });
    expect(await disabled.call(PREVIOUS)).toBe(403);
    expect(await disabled.call(CURRENT)).toBe(200);

    delete secret.aliases.previous;
    const missing = await deploy({ previousVersion: 'previous' });
    expect(await missing.call(PREVIOUS)).toBe(403);
    expect(await missing.call(CURRENT)).toBe(200);
  });

  it('answers 503 when the store is down and nothing is cached', async () => {
    store.mode = 'down';
    const { call, logger } = await deploy();
    expect(await call(CURRENT)).toBe(503);
    expect(logger.entries[0]).toMatchObject({ level: 'error', status: 503 });
  });

  it('keeps serving the cached token while the store is down (warm instance)', async () => {
    store.secrets.set(SECRET, fakeSecret(CURRENT));
    const { call, tokens } = await deploy({ cache: { ttlMs: 0, errorBackoffMs: 0 } });
    expect(await call(CURRENT)).toBe(200);
    store.mode = 'down';
    expect(await call(CURRENT)).toBe(200);
    expect(tokens.stats.staleServes).toBe(1);
  });

  it('answers 503 fast when the store does not answer within the timeout', async () => {
    store.mode = 'hang';
    const { call } = await deploy({ cache: { timeoutMs: 200 } });
    expect(await call(CURRENT)).toBe(503);
    expect(store.pending()).toBe(1);
  });

  it('answers 500 for a missing secret, and 403 for an account without its own secret', async () => {
    const missing = await deploy();
    expect(await missing.call(CURRENT)).toBe(500);
    expect(String(missing.logger.entries[0]?.msg)).toContain(`${SECRET}/versions/latest does not exist`);

    const perAccountName = (accountSid?: string) => `projects/p/secrets/twilio-auth-token-${accountSid}`;
    store.secrets.set(perAccountName(ACCOUNT_SID), fakeSecret(CURRENT));
    expect(await (await deploy({ name: perAccountName })).call(CURRENT)).toBe(200);
    store.secrets.clear();
    expect(await (await deploy({ name: perAccountName })).call(CURRENT)).toBe(403);
  });

  it('picks Secret Manager from TWILIO_AUTH_TOKEN_SECRET, else TWILIO_AUTH_TOKEN (a secret mounted as an env var)', async () => {
    expect(defaultSecretManagerSource({})).toBeUndefined();
    expect(defaultSecretManagerSource({ TWILIO_AUTH_TOKEN_SECRET: SECRET })?.description).toBe(`cached(secret-manager:${SECRET})`);

    const saved = { ...process.env };
    try {
      delete process.env.TWILIO_AUTH_TOKEN_SECRET;
      process.env.TWILIO_AUTH_TOKEN = CURRENT;
      functions.http(
        'smsFromEnv',
        twilioWebhook(() => '<Response/>', { logger: memoryLogger() }),
      );
      const server = await listen(getTestServer('smsFromEnv'));
      closers.push(server.close);
      const response = await sendSignedSms(server.port, { host: HOST, path: '/', signedUrl: `https://${HOST}/`, token: CURRENT });
      expect(response.status).toBe(200);
    } finally {
      process.env = saved;
    }
  });
});

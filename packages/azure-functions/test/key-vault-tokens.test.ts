/** Key Vault through the real `SecretClient`, against a local fake of the secrets API. */
import type { SecretClient } from '@azure/keyvault-secrets';
import { localKeyVaultClient } from '@twiml-guard/test-support/platforms/azure-secret-client';
import { keyVaultTokens, twilioWebhook, defaultKeyVaultSource, type KeyVaultTokensOptions } from '@twiml-guard/azure-functions';
import { ACCOUNT_SID, invocationContext, memoryLogger, signedSmsRequest } from '@twiml-guard/test-support/platforms/azure-host';
import { startKeyVaultFake, type FakeVersion, type KeyVaultFake } from '@twiml-guard/test-support/fakes/key-vault-fake';

const CURRENT = 'cccccccccccccccccccccccccccccccc';
const PREVIOUS = 'pppppppppppppppppppppppppppppppp';
const PENDING = 'nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn';
const URL = 'https://myapp.azurewebsites.net/api/sms';
const nowSeconds = (): number => Math.floor(Date.now() / 1000);

let vault: KeyVaultFake;
beforeEach(async () => {
  vault = await startKeyVaultFake();
});
afterEach(async () => {
  await vault.close();
});

function secretClient(): SecretClient {
  return localKeyVaultClient(vault.url);
}

function webhook(options: Partial<KeyVaultTokensOptions> = {}, logger = memoryLogger()) {
  const tokens = keyVaultTokens({ secretName: 'twilio-auth-token', client: secretClient(), ...options });
  return { handler: twilioWebhook(() => '<Response/>', { authToken: tokens, logger }), tokens, logger };
}

function signedRequest(token: string) {
  return signedSmsRequest({ host: 'myapp.azurewebsites.net', target: '/api/sms', signedUrl: URL, token });
}

const latestReads = (): number => vault.requests.filter((path) => path === '/secrets/twilio-auth-token/').length;

describe('keyVaultTokens (real SecretClient, local Key Vault fake)', () => {
  it('reads the latest version once and serves later requests from the cache', async () => {
    vault.secrets.set('twilio-auth-token', [{ version: 'v1', value: CURRENT, created: nowSeconds() }]);
    const { handler } = webhook();
    expect((await handler(signedRequest(CURRENT), invocationContext())).status).toBe(200);
    expect((await handler(signedRequest(CURRENT), invocationContext())).status).toBe(200);
    expect(latestReads()).toBe(1);
  });

  it('shares one store call between concurrent cold requests (single-flight)', async () => {
    vault.secrets.set('twilio-auth-token', [{ version: 'v1', value: CURRENT, created: nowSeconds() }]);
    const { handler } = webhook();
    const responses = await Promise.all(Array.from({ length: 8 }, () => handler(signedRequest(CURRENT), invocationContext())));
    expect(responses.map((response) => response.status)).toEqual(Array(8).fill(200));
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
    vault.secrets.set('twilio-auth-token', [
      { version: 'v2', value: payload(new Date(Date.now() + 60_000).toISOString()), created: nowSeconds() },
    ]);
    const { handler } = webhook();
    for (const token of [CURRENT, PENDING, PREVIOUS]) expect((await handler(signedRequest(token), invocationContext())).status).toBe(200);

    vault.secrets.set('twilio-auth-token', [
      { version: 'v3', value: payload(new Date(Date.now() - 1_000).toISOString()), created: nowSeconds() },
    ]);
    const fresh = webhook();
    expect((await fresh.handler(signedRequest(PREVIOUS), invocationContext())).status).toBe(403);
    expect((await fresh.handler(signedRequest(CURRENT), invocationContext())).status).toBe(200);
  });

  it('with previousVersion, accepts the newest older enabled, unexpired version during a rotation', async () => {
    vault.secrets.set('twilio-auth-token', [
      { version: 'v1', value: 'oooooooooooooooooooooooooooooooo', created: nowSeconds() - 200 },
      { version: 'v2', value: PREVIOUS, created: nowSeconds() - 100 },
      { version: 'v3', value: CURRENT, created: nowSeconds() },
    ]);
    expect((await webhook({ previousVersion: true }).handler(signedRequest(PREVIOUS), invocationContext())).status).toBe(200);
    expect(vault.requests).toContain('/secrets/twilio-auth-token/versions');
    expect(vault.requests).toContain('/secrets/twilio-auth-token/v2');
    // Only the newest older version, and never without the option.
    expect(
      (await webhook({ previousVersion: true }).handler(signedRequest('oooooooooooooooooooooooooooooooo'), invocationContext())).status,
    ).toBe(403);
    expect((await webhook().handler(signedRequest(PREVIOUS), invocationContext())).status).toBe(403);
  });

  it('with previousVersion, skips disabled and expired older versions', async () => {
    const versions: FakeVersion[] = [
      { version: 'v2', value: PREVIOUS, created: nowSeconds() - 100, enabled: false },
      { version: 'v3', value: CURRENT, created: nowSeconds() },
    ];
    vault.secrets.set('twilio-auth-token', versions);
    expect((await webhook({ previousVersion: true }).handler(signedRequest(PREVIOUS), invocationContext())).status).toBe(403);
    versions[0] = { version: 'v2', value: PREVIOUS, created: nowSeconds() - 100, enabled: true, exp: nowSeconds() - 10 };
    expect((await webhook({ previousVersion: true }).handler(signedRequest(PREVIOUS), invocationContext())).status).toBe(403);
    versions[0] = { version: 'v2', value: PREVIOUS, created: nowSeconds() - 100, enabled: true, exp: nowSeconds() + 600 };
    expect((await webhook({ previousVersion: true }).handler(signedRequest(PREVIOUS), invocationContext())).status).toBe(200);
  });

  it('answers 503 when the store is down and nothing is cached', async () => {
    vault.mode = 'down';
    const { handler, logger } = webhook();
    const response = await handler(signedRequest(CURRENT), invocationContext());
    expect(response.status).toBe(503);
    expect(response.headers).toMatchObject({ 'retry-after': '5' });
    expect(logger.entries[0]).toMatchObject({ level: 'error', status: 503 });
  });

  it('keeps serving the cached token while the store is down (warm container)', async () => {
    vault.secrets.set('twilio-auth-token', [{ version: 'v1', value: CURRENT, created: nowSeconds() }]);
    const { handler, tokens } = webhook({ cache: { ttlMs: 0, errorBackoffMs: 0 } });
    expect((await handler(signedRequest(CURRENT), invocationContext())).status).toBe(200);
    vault.mode = 'down';
    expect((await handler(signedRequest(CURRENT), invocationContext())).status).toBe(200);
    expect(tokens.stats.staleServes).toBe(1);
  });

  it('answers 503 fast when the store does not answer within the timeout', async () => {
    vault.mode = 'hang';
    const { handler } = webhook({ cache: { timeoutMs: 200 } });
    const response = await handler(signedRequest(CURRENT), invocationContext());
    expect(response.status).toBe(503);
    // The vault still holds the request: the answer did not wait for it.
    expect(vault.pending()).toBe(1);
  });

  it('answers 500 for a missing secret, and 403 for an account without its own secret', async () => {
    const { handler, logger } = webhook();
    expect((await handler(signedRequest(CURRENT), invocationContext())).status).toBe(500);
    expect(String(logger.entries[0]?.msg)).toContain('"twilio-auth-token" does not exist');

    vault.secrets.set(`twilio-auth-token-${ACCOUNT_SID}`, [{ version: 'v1', value: CURRENT, created: nowSeconds() }]);
    const perAccount = webhook({ secretName: (accountSid) => `twilio-auth-token-${accountSid}` });
    expect((await perAccount.handler(signedRequest(CURRENT), invocationContext())).status).toBe(200);
    vault.secrets.clear();
    const unknown = webhook({ secretName: (accountSid) => `twilio-auth-token-${accountSid}` });
    expect((await unknown.handler(signedRequest(CURRENT), invocationContext())).status).toBe(403);
  });

  it('picks the store from app settings lazily, and refuses half a configuration with 500', async () => {
    expect(defaultKeyVaultSource({})).toBeUndefined();
    expect(
      defaultKeyVaultSource({ TWILIO_AUTH_TOKEN_KEY_VAULT_URL: 'https://v.vault.azure.net', TWILIO_AUTH_TOKEN_SECRET_NAME: 's' })
        ?.description,
    ).toBe('cached(key-vault:s)');

    const saved = { ...process.env };
    try {
      process.env.TWILIO_AUTH_TOKEN_KEY_VAULT_URL = 'https://v.vault.azure.net';
      delete process.env.TWILIO_AUTH_TOKEN_SECRET_NAME;
      process.env.TWILIO_AUTH_TOKEN = CURRENT;
      const logger = memoryLogger();
      const response = await twilioWebhook(() => '<Response/>', { logger })(signedRequest(CURRENT), invocationContext());
      expect(response.status).toBe(500);
      expect(String(logger.entries[0]?.msg)).toContain('TWILIO_AUTH_TOKEN_SECRET_NAME is not set');

      delete process.env.TWILIO_AUTH_TOKEN_KEY_VAULT_URL;
      expect((await twilioWebhook(() => '<Response/>', { logger })(signedRequest(CURRENT), invocationContext())).status).toBe(200);
    } finally {
      process.env = saved;
    }
  });
});

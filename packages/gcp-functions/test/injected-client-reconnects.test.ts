/**
 * A SecretManagerServiceClient the user passes, whose credentials are missing at first (a key file
 * mounted after the instance started): the real client keeps its failed connection and returns it from
 * every later initialize(). Once the key file exists, the next request must connect again instead of
 * being refused until the instance is replaced. Real client (REST fallback, with a service account key
 * it signs its own tokens with) against the local Secret Manager fake, which accepts only tokens signed
 * by that key.
 */
import { type KeyObject, generateKeyPairSync, verify } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SecretManagerServiceClient } from '@google-cloud/secret-manager';
import { parseRotationSecret } from '@twiml-guard/core/rotation';
import { secretManagerTokens, twilioWebhook, type SecretVersionReader } from '@twiml-guard/gcp-functions';
import { secretManagerRotation, type SecretVersionWriter } from '@twiml-guard/gcp-functions/rotation';
import { ACCOUNT_SID, FIRST_TOKEN, collectingLogger } from '@twiml-guard/test-support/rotation-fixtures';
import {
  fakeSecret,
  numberForm,
  startSecretManagerFake,
  type SecretManagerFake,
} from '@twiml-guard/test-support/fakes/secret-manager-fake';
import { fakeTwilioClientOptions, startTwilioAccountsFake } from '@twiml-guard/test-support/fakes/twilio-accounts-fake';
import { FORM, sign, smsForm } from '@twiml-guard/test-support/platforms/gcp-http-client';

const SECRET = 'projects/demo/secrets/twilio-auth-token';
const closers: (() => Promise<void>)[] = [];
let keyDir: string;
let keyFile: string;
let store: SecretManagerFake;

beforeEach(async () => {
  keyDir = mkdtempSync(join(tmpdir(), 'twiml-guard-key-'));
  keyFile = join(keyDir, 'service-account.json');
  store = await startSecretManagerFake();
  closers.push(() => store.close());
});
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
  rmSync(keyDir, { recursive: true, force: true });
});

/** Whether `authorization` carries a JWT signed (RS256) with `publicKey`. */
function signedWith(publicKey: KeyObject, authorization: string | undefined): boolean {
  const [header, payload, signature] = (authorization ?? '').replace(/^Bearer /, '').split('.');
  if (!header || !payload || !signature) return false;
  return verify('sha256', Buffer.from(`${header}.${payload}`), publicKey, Buffer.from(signature, 'base64url'));
}

/** The key file the client was told about appears; from then on the store accepts the tokens it signs. */
function mountKeyFile(): void {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  writeFileSync(
    keyFile,
    JSON.stringify({
      type: 'service_account',
      project_id: 'demo',
      private_key_id: 'k1',
      private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }),
      client_email: 'webhook@demo.iam.gserviceaccount.com',
      client_id: '1',
    }),
  );
  store.authorized = (authorization) => signedWith(publicKey, authorization);
}

function client(): SecretManagerServiceClient {
  return new SecretManagerServiceClient({
    fallback: true,
    apiEndpoint: '127.0.0.1',
    port: store.port,
    protocol: 'http',
    keyFilename: keyFile,
    // gaxios loads node-fetch through a dynamic import(), which jest's CommonJS sandbox refuses without
    // --experimental-vm-modules: hand it Node's fetch (a test-only difference; the wire requests are the same).
    clientOptions: { transporterOptions: { fetchImplementation: fetch } },
  });
}

test('secretManagerTokens with an injected client: 503 while the key file is missing, 200 once it exists', async () => {
  store.secrets.set(SECRET, fakeSecret(FIRST_TOKEN));
  const { logger, entries } = collectingLogger();
  const authToken = secretManagerTokens({
    name: SECRET,
    client: client() as unknown as SecretVersionReader,
    cache: { errorBackoffMs: 0 },
  });
  const url = 'https://sms.example.run.app/';
  const webhook = twilioWebhook(() => '<Response/>', { authToken, logger, url });
  const call = async (): Promise<number> => {
    const form = smsForm();
    const response = { statusCode: 0, setHeader() {}, end() {} };
    await webhook(
      {
        method: 'POST',
        url: '/',
        headers: { ...FORM, host: 'sms.example.run.app', 'x-twilio-signature': sign(url, form.params, FIRST_TOKEN) },
        rawBody: Buffer.from(form.body),
      },
      response,
    );
    return response.statusCode;
  };

  expect(await call()).toBe(503);
  expect(entries.map((entry) => entry.msg)).toEqual([expect.stringContaining(keyFile)]);
  expect(store.requests).toEqual([]);
  mountKeyFile();
  expect(await call()).toBe(200);
  expect(store.requests).toEqual([`${SECRET}/versions/latest`]);
});

test('secretManagerRotation with an injected client: rejects while the key file is missing, rotates once it exists', async () => {
  const secret = fakeSecret(JSON.stringify({ accountSid: ACCOUNT_SID, authToken: FIRST_TOKEN }));
  store.secrets.set(SECRET, secret);
  const twilioFake = await startTwilioAccountsFake(ACCOUNT_SID, FIRST_TOKEN);
  closers.push(() => twilioFake.close());
  const rotation = secretManagerRotation({
    name: SECRET,
    client: client() as unknown as SecretVersionWriter,
    clientOptions: fakeTwilioClientOptions(twilioFake),
    cacheTtlMs: 0,
    settleMs: 0,
    logger: collectingLogger().logger,
  });
  const event = (messageId: string) => ({
    id: messageId,
    data: { message: { messageId, attributes: { eventType: 'SECRET_ROTATE', secretId: numberForm(SECRET) } } },
  });

  await expect(rotation(event('rotate-1'))).rejects.toThrow(keyFile);
  expect(secret.versions).toHaveLength(1);
  mountKeyFile();
  await rotation(event('rotate-2'));
  expect(parseRotationSecret(secret.versions.at(-1) ?? '')).toMatchObject({
    authToken: twilioFake.primary,
    previousAuthToken: FIRST_TOKEN,
  });
});

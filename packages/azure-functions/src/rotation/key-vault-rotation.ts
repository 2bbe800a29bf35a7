/**
 * The rotation function for a Twilio auth token in Azure Key Vault, on Event Grid's
 * `Microsoft.KeyVault.SecretNearExpiry` (research/secrets.md §3.3): Key Vault publishes it 30 days
 * before the current version's `expires`, so every version this function writes gets an expiry —
 * without one the next event never fires and rotation silently stops.
 *
 * The latest version holds the whole state (`{accountSid, authToken, pendingAuthToken?, previousAuthToken?…}`),
 * which `keyVaultTokens` reads with one call. Event Grid delivers at least once: an event about a
 * version that is no longer the latest, with no rotation in progress, was already handled.
 */
import {
  logRotationFailure,
  parseRotationSecret,
  rotateTwilioAuthToken,
  rotationTimingFromEnv,
  serializeRotationSecret,
  stderrJsonLogger,
  timingOptions,
  type Logger,
  type RotationOutcome,
  type RotationSecretStore,
  type RotationTimingOptions,
  type TwilioAuthTokensApi,
} from '@twiml-guard/core';
import type { KeyVaultCredential } from '../key-vault-tokens.js';
import { KEY_VAULT_URL_SETTING, SECRET_NAME_SETTING } from '../platform-defaults.js';
import { officialTwilioAuthTokens, type TwilioClientOptions } from './twilio-client.js';

/** The part of `SecretClient` the rotation uses. */
export interface KeyVaultSecretWriter {
  getSecret(name: string, options?: { version?: string }): Promise<{ value?: string; properties: { version?: string } }>;
  setSecret(
    name: string,
    value: string,
    options?: { contentType?: string; expiresOn?: Date; tags?: Record<string, string> },
  ): Promise<{ properties: { version?: string } }>;
}

/** The Event Grid event as `@azure/functions` hands it over (`data` as Key Vault sends it: PascalCase). */
export interface KeyVaultEventGridEvent {
  readonly id?: string;
  readonly eventType?: string;
  readonly subject?: string;
  readonly data?: Record<string, unknown>;
}

/** Days a written version is valid. Key Vault's SecretNearExpiry comes 30 days before, so keep it above 30. */
export const VALIDITY_DAYS_SETTING = 'TWILIO_AUTH_TOKEN_VALIDITY_DAYS';
export const NEAR_EXPIRY_EVENT = 'Microsoft.KeyVault.SecretNearExpiry';
const EXPIRED_EVENT = 'Microsoft.KeyVault.SecretExpired';

export interface KeyVaultRotationOptions extends RotationTimingOptions, TwilioClientOptions {
  /** Default: the `TWILIO_AUTH_TOKEN_KEY_VAULT_URL` app setting. */
  readonly vaultUrl?: string;
  /** Default: the `TWILIO_AUTH_TOKEN_SECRET_NAME` app setting. Events about other secrets are ignored. */
  readonly secretName?: string;
  /** Expiry of each new version, in days. Default: `TWILIO_AUTH_TOKEN_VALIDITY_DAYS`, else 90. */
  readonly validityDays?: number;
  /** Needed only when the secret holds a bare token instead of `{accountSid, authToken}` JSON. */
  readonly accountSid?: string;
  /** A ready `SecretClient`. Default: created on first use with `credential`. */
  readonly client?: KeyVaultSecretWriter;
  /** Default: `DefaultAzureCredential` (the function app's managed identity). */
  readonly credential?: KeyVaultCredential;
  readonly twilio?: TwilioAuthTokensApi;
  readonly logger?: Logger;
}

/**
 * `app.eventGrid('rotateTwilioAuthToken', { handler: keyVaultRotation() })`. Resolves to the outcome, or
 * `undefined` for an event it ignores; throws (Event Grid retries) when the rotation fails.
 */
export function keyVaultRotation(options: KeyVaultRotationOptions = {}): (event: KeyVaultEventGridEvent, context?: unknown) => Promise<RotationOutcome | undefined> {
  const logger = options.logger ?? stderrJsonLogger;
  const twilio = options.twilio ?? officialTwilioAuthTokens(options);
  let client: Promise<KeyVaultSecretWriter> | undefined;
  const getClient = (): Promise<KeyVaultSecretWriter> =>
    (client ??= options.client ? Promise.resolve(options.client) : createClient(options)).catch((error: unknown) => {
      client = undefined;
      throw error;
    });

  return async (event) => {
    const secretName = options.secretName ?? process.env[SECRET_NAME_SETTING];
    if (!secretName) throw new Error(`keyVaultRotation needs secretName or the ${SECRET_NAME_SETTING} app setting`);
    const eventType = event?.eventType;
    const objectName = field(event?.data, 'ObjectName') ?? event?.subject;
    if (eventType !== NEAR_EXPIRY_EVENT && eventType !== EXPIRED_EVENT) {
      logger.info({ msg: 'rotation: ignored Event Grid event', eventType: eventType ?? '(none)', secretName: objectName });
      return undefined;
    }
    if (objectName !== secretName) {
      logger.warn({ msg: 'rotation: event for a secret this function does not rotate', secretName: objectName, configured: secretName });
      return undefined;
    }
    const vault = await getClient();
    const latest = await vault.getSecret(secretName);
    const eventVersion = field(event.data, 'Version');
    const state = parseRotationSecret(latest.value ?? '', options.accountSid);
    if (eventVersion && latest.properties.version && eventVersion !== latest.properties.version && state.pendingAuthToken === undefined) {
      logger.info({ msg: 'rotation: the event is about an older version and no rotation is in progress; nothing to do', secretName, eventVersion });
      return undefined;
    }

    const validityMs = validityDays(options) * 24 * 60 * 60_000;
    const store: RotationSecretStore = {
      description: `key-vault:${secretName}`,
      async read() {
        const secret = await vault.getSecret(secretName);
        return parseRotationSecret(secret.value ?? '', options.accountSid);
      },
      async write(next, phase) {
        await vault.setSecret(secretName, serializeRotationSecret(next), {
          contentType: 'application/json',
          // Without an expiry Key Vault never sends the next SecretNearExpiry.
          expiresOn: new Date(Date.now() + validityMs),
          tags: { rotation: phase },
        });
      },
    };
    try {
      return await rotateTwilioAuthToken({ ...rotationTimingFromEnv(), ...timingOptions(options), store, twilio, logger, ...(event.id ? { rotationId: event.id } : {}) });
    } catch (error) {
      logRotationFailure(logger, error, 'Event Grid will retry', { secretName });
      throw error;
    }
  };
}

function validityDays(options: KeyVaultRotationOptions): number {
  const fromEnv = Number(process.env[VALIDITY_DAYS_SETTING]);
  const days = options.validityDays ?? (Number.isFinite(fromEnv) && fromEnv > 0 ? fromEnv : 90);
  if (!(days > 0)) throw new Error('validityDays must be positive');
  return days;
}

/** Key Vault sends PascalCase (`ObjectName`); some tooling camel-cases it (`objectName`). */
function field(data: Record<string, unknown> | undefined, name: string): string | undefined {
  const value = data?.[name] ?? data?.[name[0]?.toLowerCase() + name.slice(1)];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

async function createClient(options: KeyVaultRotationOptions): Promise<KeyVaultSecretWriter> {
  const vaultUrl = options.vaultUrl ?? process.env[KEY_VAULT_URL_SETTING];
  if (!vaultUrl) throw new Error(`keyVaultRotation needs vaultUrl or the ${KEY_VAULT_URL_SETTING} app setting`);
  const { SecretClient } = await import('@azure/keyvault-secrets');
  const credential = options.credential ?? new (await import('@azure/identity')).DefaultAzureCredential();
  return new SecretClient(vaultUrl, credential as ConstructorParameters<typeof SecretClient>[1]) as unknown as KeyVaultSecretWriter;
}

/**
 * Rotation of a Twilio auth token in Azure Key Vault, in two functions:
 *
 * - `keyVaultRotation()`, on Event Grid's `Microsoft.KeyVault.SecretNearExpiry` / `SecretExpired`
 *   (Key Vault publishes them 30 days before / at the latest version's `expires`, so every version
 *   written gets an expiry — without one the next event never fires). It only RECORDS the request (a
 *   `rotation-requested` tag on the latest version) and returns at once: Event Grid waits 30 s for an
 *   answer and then redelivers, while a rotation waits out the webhooks' cache TTL (~5 minutes).
 * - `keyVaultRotationTimer()`, on a timer: it runs or resumes the rotation. The Functions host runs a
 *   timer function on one instance at a time across a scaled-out app (its own storage lock), and does
 *   not start it again while an invocation runs: that is what keeps two rotations of the secret from
 *   overlapping, because Key Vault has no conditional write for secrets.
 *
 * The latest version holds the whole state (`{accountSid, authToken, pendingAuthToken?, previousAuthToken?…}`),
 * which `keyVaultTokens` reads with one call. Event Grid delivers at least once: an event about a
 * version that is no longer the latest was already handled.
 */
import { stderrJsonLogger, type Logger, optionalPeerMissing } from '@twiml-guard/core';
import {
  logRotationFailure,
  officialTwilioAuthTokens,
  parseRotationSecret,
  rotateTwilioAuthToken,
  RotationError,
  rotationTimingFromEnv,
  serializeRotationSecret,
  timingOptions,
  type RotationOutcome,
  type RotationSecretStore,
  type RotationTimingOptions,
  type TwilioAuthTokensApi,
  type TwilioClientOptions,
} from '@twiml-guard/core/rotation';
import type { KeyVaultCredential } from '../token-source.js';
import { KEY_VAULT_URL_SETTING, SECRET_NAME_SETTING } from '../platform-defaults.js';

/** The part of `SecretClient` (`@azure/keyvault-secrets`) the rotation uses; pass your own as `client`. */
export interface KeyVaultSecretWriter {
  /** Reads the latest version of a secret (or the one `options.version` names). */
  getSecret(
    name: string,
    options?: { version?: string },
  ): Promise<{ value?: string; properties: { version?: string; tags?: Record<string, string> } }>;
  /** Replaces a version's tags (the rotation request is a tag). */
  updateSecretProperties(name: string, version: string, options: { tags?: Record<string, string> }): Promise<unknown>;
  /** Writes a new version, which becomes the latest. */
  setSecret(
    name: string,
    value: string,
    options?: { contentType?: string; expiresOn?: Date; tags?: Record<string, string> },
  ): Promise<{ properties: { version?: string } }>;
}

/** The Event Grid event as `@azure/functions` hands it over (`data` as Key Vault sends it: PascalCase). */
export interface KeyVaultEventGridEvent {
  /** The event's id: recorded as the rotation's id, so redeliveries do not rotate twice. */
  readonly id?: string;
  /** `Microsoft.KeyVault.SecretNearExpiry` or `Microsoft.KeyVault.SecretExpired`; other events are ignored. */
  readonly eventType?: string;
  /** The secret's name (used when `data.ObjectName` is missing). */
  readonly subject?: string;
  /** Key Vault's payload: `ObjectName`, `Version`, … */
  readonly data?: Record<string, unknown>;
}

/** Days a written version is valid. Key Vault's SecretNearExpiry comes 30 days before, so keep it above 30. */
export const VALIDITY_DAYS_SETTING = 'TWILIO_AUTH_TOKEN_VALIDITY_DAYS';
/** How long before a version's expiry Key Vault sends SecretNearExpiry. */
const NEAR_EXPIRY_DAYS = 30;
/** The Event Grid event Key Vault publishes 30 days before the latest version's expiry: it requests a rotation. */
export const NEAR_EXPIRY_EVENT = 'Microsoft.KeyVault.SecretNearExpiry';
/** The Event Grid event Key Vault publishes when the latest version has expired: it requests a rotation too. */
export const EXPIRED_EVENT = 'Microsoft.KeyVault.SecretExpired';
/** The tag on the latest version that asks the timer function for a rotation (its value: the event id). */
export const ROTATION_REQUESTED_TAG = 'rotation-requested';

/** Options of `keyVaultRotation` and `keyVaultRotationTimer` (give both the same). Timing defaults come from `TWILIO_TOKEN_CACHE_TTL_SECONDS` / `TWILIO_PREVIOUS_TOKEN_GRACE_SECONDS`. */
export interface KeyVaultRotationOptions extends RotationTimingOptions, TwilioClientOptions {
  /**
   * The vault's URL, e.g. `https://my-vault.vault.azure.net`.
   * @default the `TWILIO_AUTH_TOKEN_KEY_VAULT_URL` app setting
   */
  readonly vaultUrl?: string;
  /**
   * The secret to rotate. Events about other secrets are ignored.
   * @default the `TWILIO_AUTH_TOKEN_SECRET_NAME` app setting
   */
  readonly secretName?: string;
  /**
   * Expiry of each new version, in days; more than 30 (Key Vault requests the next rotation 30 days before it).
   * @default the `TWILIO_AUTH_TOKEN_VALIDITY_DAYS` app setting, else 90
   */
  readonly validityDays?: number;
  /**
   * The account, needed only when the secret holds a bare token instead of `{accountSid, authToken}` JSON.
   * @default the secret's `accountSid`
   */
  readonly accountSid?: string;
  /**
   * A ready `SecretClient`.
   * @default one created on first use from `@azure/keyvault-secrets`, with `credential`
   */
  readonly client?: KeyVaultSecretWriter;
  /**
   * How the default client authenticates.
   * @default `DefaultAzureCredential` from `@azure/identity` (the function app's managed identity)
   */
  readonly credential?: KeyVaultCredential;
  /**
   * Twilio's token API.
   * @default `officialTwilioAuthTokens(options)`: the official `twilio` client (`clientOptions` are passed to it)
   */
  readonly twilio?: TwilioAuthTokensApi;
  /**
   * Where the functions log (never a token).
   * @default `stderrJsonLogger`: one JSON line on stderr
   */
  readonly logger?: Logger;
}

/** What a function of the pair resolves to: the rotation's outcome, `requested`, or `undefined` (nothing to do). */
export type KeyVaultRotationResult = RotationOutcome | { readonly status: 'requested'; readonly eventId: string } | undefined;

/**
 * The Event Grid function of a Key Vault rotation: on `SecretNearExpiry` / `SecretExpired` for the
 * configured secret it records the request (a `rotation-requested` tag on the latest version) and
 * returns, well within Event Grid's 30 s; `keyVaultRotationTimer()` carries the rotation out. Throws
 * (Event Grid retries, then dead-letters) only when Key Vault cannot be reached.
 * @param options - the vault, the secret, the Key Vault client or credential, a logger
 * @returns the Event Grid handler; it resolves to `{ status: 'requested', eventId }`, or `undefined` when there is nothing to do
 * @example
 * ```ts
 * import { app } from '@azure/functions';
 * import { keyVaultRotation, keyVaultRotationTimer } from '@twiml-guard/azure-functions/rotation';
 *
 * app.eventGrid('rotateTwilioAuthToken', { handler: keyVaultRotation() });
 * app.timer('finishTwilioAuthTokenRotation', { schedule: '0 0-59/5 * * * *', handler: keyVaultRotationTimer() });
 * ```
 */
export function keyVaultRotation(
  options: KeyVaultRotationOptions = {},
): (event: KeyVaultEventGridEvent, context?: unknown) => Promise<KeyVaultRotationResult> {
  const logger = options.logger ?? stderrJsonLogger;
  const getClient = clientGetter(options);
  return async (event) => {
    const secretName = configuredSecretName(options);
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
    try {
      const vault = await getClient();
      const latest = await vault.getSecret(secretName);
      const eventVersion = field(event.data, 'Version');
      const latestVersion = latest.properties.version;
      const eventId = event.id ?? `${eventType}:${eventVersion ?? ''}`;
      if (
        latest.properties.tags?.[ROTATION_REQUESTED_TAG] !== undefined ||
        parseRotationSecret(latest.value ?? '', options.accountSid).pendingAuthToken !== undefined
      ) {
        logger.info({ msg: 'rotation: already requested or in progress; the timer function carries it out', secretName });
        return { status: 'requested', eventId };
      }
      if (eventVersion && latestVersion && eventVersion !== latestVersion) {
        logger.info({
          msg: 'rotation: the event is about an older version and no rotation is in progress; nothing to do',
          secretName,
          eventVersion,
        });
        return undefined;
      }
      if (!latestVersion) throw new Error(`Key Vault returned no version for ${secretName}`);
      await vault.updateSecretProperties(secretName, latestVersion, {
        tags: { ...latest.properties.tags, [ROTATION_REQUESTED_TAG]: eventId },
      });
      logger.info({ msg: 'rotation requested; the timer function carries it out', secretName, eventType });
      return { status: 'requested', eventId };
    } catch (error) {
      logRotationFailure(logger, error, 'Event Grid will retry', { secretName });
      throw error;
    }
  };
}

/**
 * The timer function of a Key Vault rotation: runs a rotation `keyVaultRotation()` requested, or
 * resumes one that an earlier invocation left (it crashed, timed out). The Functions host runs a timer
 * function on one instance at a time, which keeps rotations of the secret from overlapping.
 * @param options - as for `keyVaultRotation`, plus the Twilio client and the timing
 * @returns the timer handler; it resolves to the rotation's outcome, or `undefined` when there is nothing to do
 * @example
 * ```ts
 * import { app } from '@azure/functions';
 * import { keyVaultRotationTimer } from '@twiml-guard/azure-functions/rotation';
 *
 * app.timer('finishTwilioAuthTokenRotation', { schedule: '0 0-59/5 * * * *', handler: keyVaultRotationTimer() });
 * ```
 */
export function keyVaultRotationTimer(
  options: KeyVaultRotationOptions = {},
): (timer?: unknown, context?: unknown) => Promise<KeyVaultRotationResult> {
  const logger = options.logger ?? stderrJsonLogger;
  const twilio = options.twilio ?? officialTwilioAuthTokens(options);
  const getClient = clientGetter(options);
  return async () => {
    const secretName = configuredSecretName(options);
    try {
      const vault = await getClient();
      const latest = await vault.getSecret(secretName);
      const state = parseRotationSecret(latest.value ?? '', options.accountSid);
      const requested = latest.properties.tags?.[ROTATION_REQUESTED_TAG];
      if (requested === undefined && state.pendingAuthToken === undefined) return undefined;
      const validityMs = validityDays(options) * 24 * 60 * 60_000;
      const store: RotationSecretStore = {
        description: `key-vault:${secretName}`,
        async read() {
          const secret = await vault.getSecret(secretName);
          return parseRotationSecret(secret.value ?? '', options.accountSid);
        },
        async write(next, phase) {
          // A new version without the request tag: the request is consumed by the rotation that wrote it.
          await vault.setSecret(secretName, serializeRotationSecret(next), {
            contentType: 'application/json',
            // Without an expiry Key Vault never sends the next SecretNearExpiry.
            expiresOn: new Date(Date.now() + validityMs),
            tags: { rotation: phase },
          });
        },
      };
      const rotationId = requested ?? state.rotationId;
      return await rotateTwilioAuthToken({
        ...rotationTimingFromEnv(),
        ...timingOptions(options),
        store,
        twilio,
        logger,
        ...(rotationId ? { rotationId } : {}),
      });
    } catch (error) {
      logRotationFailure(logger, error, 'the timer function resumes it on its next run', { secretName });
      throw error;
    }
  };
}

function configuredSecretName(options: KeyVaultRotationOptions): string {
  const secretName = options.secretName ?? process.env[SECRET_NAME_SETTING];
  if (!secretName) throw new Error(`keyVaultRotation needs secretName or the ${SECRET_NAME_SETTING} app setting`);
  return secretName;
}

function clientGetter(options: KeyVaultRotationOptions): () => Promise<KeyVaultSecretWriter> {
  let client: Promise<KeyVaultSecretWriter> | undefined;
  return () =>
    (client ??= options.client ? Promise.resolve(options.client) : createClient(options)).catch((error: unknown) => {
      client = undefined;
      throw error;
    });
}

function validityDays(options: KeyVaultRotationOptions): number {
  const fromEnv = Number(process.env[VALIDITY_DAYS_SETTING]);
  const days = options.validityDays ?? (Number.isFinite(fromEnv) && fromEnv > 0 ? fromEnv : 90);
  // Key Vault sends SecretNearExpiry 30 days before `expires`: a version valid for 30 days or less would
  // request the next rotation as soon as it is written, and the rotations would never stop.
  if (!(days > NEAR_EXPIRY_DAYS)) {
    throw new RotationError(
      `the validity of a new version (validityDays or ${VALIDITY_DAYS_SETTING}, now ${days}) must be more than ${NEAR_EXPIRY_DAYS} days: Key Vault sends SecretNearExpiry ${NEAR_EXPIRY_DAYS} days before a version expires`,
    );
  }
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
  const { SecretClient } = await import('@azure/keyvault-secrets').catch(optionalPeerMissing('@azure/keyvault-secrets'));
  const credential =
    options.credential ?? new (await import('@azure/identity').catch(optionalPeerMissing('@azure/identity'))).DefaultAzureCredential();
  return new SecretClient(vaultUrl, credential as ConstructorParameters<typeof SecretClient>[1]) as unknown as KeyVaultSecretWriter;
}

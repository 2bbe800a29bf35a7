/**
 * The rotation function for a Twilio auth token in Google Secret Manager: a CloudEvent function on
 * the secret's Pub/Sub topic. Secret Manager publishes SECRET_ROTATE at
 * the secret's next_rotation_time; the function acts on that event type only, because its own new
 * versions publish SECRET_VERSION_ADD (and others) on the same topic.
 *
 * The latest version holds the whole state (`{accountSid, authToken, pendingAuthToken?, previousAuthToken?…}`),
 * which `secretManagerTokens` reads with one call; the rotation adds versions through the protocol
 * (pending, then committed). A redelivered message (same messageId) after a finished rotation does
 * nothing; a rerun after a crash resumes where the last attempt stopped. Throwing makes Pub/Sub retry.
 */
import {
  describeError,
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
  optionalPeerMissing,
} from '@twiml-guard/core';
import { SECRET_RESOURCE_VARIABLE } from '../platform-defaults.js';
import { officialTwilioAuthTokens, type TwilioClientOptions } from './twilio-client.js';

/** The part of `SecretManagerServiceClient` the rotation uses. */
export interface SecretVersionWriter {
  accessSecretVersion(request: { name: string }): Promise<readonly [{ name?: string | null; payload?: { data?: Uint8Array | string | null } | null }, ...unknown[]]>;
  addSecretVersion(request: { parent: string; payload: { data: Uint8Array } }): Promise<readonly [{ name?: string | null }, ...unknown[]]>;
}

/** A Pub/Sub push as a CloudEvent (`google.cloud.pubsub.topic.v1.messagePublished`). */
export interface PubSubCloudEvent {
  readonly id?: string;
  readonly type?: string;
  readonly data?: {
    readonly message?: { readonly attributes?: Record<string, string>; readonly data?: string; readonly messageId?: string; readonly message_id?: string };
    readonly subscription?: string;
  };
}

export interface SecretManagerRotationOptions extends RotationTimingOptions, TwilioClientOptions {
  /** `projects/PROJECT/secrets/SECRET`. Default: `TWILIO_AUTH_TOKEN_SECRET`. Messages about other secrets are ignored. */
  readonly name?: string;
  /** Needed only when the secret holds a bare token instead of `{accountSid, authToken}` JSON. */
  readonly accountSid?: string;
  /** A ready client. Default: `new SecretManagerServiceClient()` on first use. */
  readonly client?: SecretVersionWriter;
  /** Twilio's token API. Default: the official `twilio` client. */
  readonly twilio?: TwilioAuthTokensApi;
  readonly logger?: Logger;
}

export const SECRET_ROTATE = 'SECRET_ROTATE';

/**
 * `functions.cloudEvent('rotateTwilioAuthToken', secretManagerRotation())`. Resolves to the outcome, or
 * `undefined` for a message it ignores.
 */
export function secretManagerRotation(options: SecretManagerRotationOptions = {}): (event: PubSubCloudEvent) => Promise<RotationOutcome | undefined> {
  const logger = options.logger ?? stderrJsonLogger;
  const twilio = options.twilio ?? officialTwilioAuthTokens(options);
  let client: Promise<SecretVersionWriter> | undefined;
  const getClient = (): Promise<SecretVersionWriter> =>
    (client ??= options.client ? Promise.resolve(options.client) : createClient()).catch((error: unknown) => {
      client = undefined;
      throw error;
    });

  return async (event) => {
    const message = event?.data?.message;
    const attributes = message?.attributes ?? {};
    const configured = (options.name ?? process.env[SECRET_RESOURCE_VARIABLE])?.replace(/\/versions\/.*$/, '');
    const secret = configured ?? attributes.secretId;
    if (attributes.eventType !== SECRET_ROTATE) {
      // Our own addSecretVersion comes back as SECRET_VERSION_ADD: acting on it would rotate forever.
      logger.info({ msg: 'rotation: ignored Secret Manager event', eventType: attributes.eventType ?? '(none)', secretId: attributes.secretId });
      return undefined;
    }
    if (!secret || (attributes.secretId !== undefined && attributes.secretId !== secret)) {
      logger.warn({ msg: 'rotation: SECRET_ROTATE for a secret this function does not rotate', secretId: attributes.secretId, configured: secret ?? '(none)' });
      return undefined;
    }
    const reader = await getClient();
    const store: RotationSecretStore = {
      description: `secret-manager:${secret}`,
      async read() {
        const [version] = await reader.accessSecretVersion({ name: `${secret}/versions/latest` });
        const data = version.payload?.data;
        if (data === undefined || data === null) throw new Error(`Secret Manager version ${secret}/versions/latest has no payload`);
        return parseRotationSecret(typeof data === 'string' ? data : Buffer.from(data).toString('utf8'), options.accountSid);
      },
      async write(next) {
        await reader.addSecretVersion({ parent: secret, payload: { data: Buffer.from(serializeRotationSecret(next), 'utf8') } });
      },
    };
    const rotationId = message?.messageId ?? message?.message_id ?? event.id;
    try {
      return await rotateTwilioAuthToken({ ...rotationTimingFromEnv(), ...timingOptions(options), store, twilio, logger, ...(rotationId ? { rotationId } : {}) });
    } catch (error) {
      logger.error({ msg: 'rotation failed; Pub/Sub will redeliver', secretId: secret, error: describeError(error) });
      throw error;
    }
  };
}

async function createClient(): Promise<SecretVersionWriter> {
  const { SecretManagerServiceClient } = await import('@google-cloud/secret-manager').catch(optionalPeerMissing('@google-cloud/secret-manager'));
  return new SecretManagerServiceClient() as unknown as SecretVersionWriter;
}

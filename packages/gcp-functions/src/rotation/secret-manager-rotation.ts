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
import { stderrJsonLogger, type Logger } from '@twiml-guard/core';
import { lazyClient } from '@twiml-guard/core/adapter';
import {
  logRotationFailure,
  officialTwilioAuthTokens,
  parseRotationSecret,
  rotateTwilioAuthToken,
  rotationTimingFromEnv,
  serializeRotationSecret,
  timingOptions,
  type RotationOutcome,
  type RotationSecretStore,
  type RotationTimingOptions,
  type TwilioAuthTokensApi,
  type TwilioClientOptions,
} from '@twiml-guard/core/rotation';
import { SECRET_RESOURCE_VARIABLE } from '../platform-defaults.js';
import { connected, createSecretManagerClient } from '../secret-manager-client.js';
import { isProjectNumber, parseSecretResource } from './secret-resource.js';

/** The part of `SecretManagerServiceClient` (`@google-cloud/secret-manager`) the rotation uses; pass your own as `client`. */
export interface SecretVersionWriter {
  /** Reads a version (the rotation reads `…/versions/latest`). */
  accessSecretVersion(request: {
    name: string;
  }): Promise<readonly [{ name?: string | null; payload?: { data?: Uint8Array | string | null } | null }, ...unknown[]]>;
  /** Adds a version, which becomes the latest. */
  addSecretVersion(request: { parent: string; payload: { data: Uint8Array } }): Promise<readonly [{ name?: string | null }, ...unknown[]]>;
  /** With `updateSecret`: the rotation lease in the secret's annotations, written with its etag. Without them, no lease. */
  getSecret?(request: { name: string }): Promise<readonly [SecretMetadata, ...unknown[]]>;
  /** Writes the lease annotation; refused by Secret Manager when the etag is stale. */
  updateSecret?(request: {
    secret: SecretMetadata & { name: string };
    updateMask: { paths: string[] };
  }): Promise<readonly [SecretMetadata, ...unknown[]]>;
}

/** The part of a Secret the lease uses. */
export interface SecretMetadata {
  readonly name?: string | null;
  readonly etag?: string | null;
  readonly annotations?: Record<string, string> | null;
}

/** The annotation holding `<owner> <until epoch ms>` while a rotation runs. */
export const ROTATION_LEASE_ANNOTATION = 'twiml-guard-rotation-lease';

/** A Pub/Sub push as a CloudEvent (`google.cloud.pubsub.topic.v1.messagePublished`). */
export interface PubSubCloudEvent {
  /** The CloudEvent's id. */
  readonly id?: string;
  /** `google.cloud.pubsub.topic.v1.messagePublished`. */
  readonly type?: string;
  /** The Pub/Sub message: Secret Manager's `eventType` and `secretId` are in its attributes. */
  readonly data?: {
    readonly message?: {
      readonly attributes?: Record<string, string>;
      readonly data?: string;
      readonly messageId?: string;
      readonly message_id?: string;
    };
    readonly subscription?: string;
  };
}

/** Options of `secretManagerRotation`. Timing defaults come from `TWILIO_TOKEN_CACHE_TTL_SECONDS` / `TWILIO_PREVIOUS_TOKEN_GRACE_SECONDS`. */
export interface SecretManagerRotationOptions extends RotationTimingOptions, TwilioClientOptions {
  /**
   * The secret to rotate, `projects/PROJECT/secrets/SECRET`. Messages about other secrets are ignored.
   * @default the `TWILIO_AUTH_TOKEN_SECRET` environment variable, else the secret the message names
   */
  readonly name?: string;
  /**
   * The number of the secret's project. Secret Manager names the project by number in the `secretId`
   * it publishes; when `name` uses the project ID, the function learns the number from the name that
   * `accessSecretVersion` returns for the configured secret.
   * @default the `TWILIO_AUTH_TOKEN_SECRET_PROJECT_NUMBER` environment variable, else learned as above
   */
  readonly projectNumber?: string;
  /**
   * The account, needed only when the secret holds a bare token instead of `{accountSid, authToken}` JSON.
   * @default the secret's `accountSid`
   */
  readonly accountSid?: string;
  /**
   * A ready client.
   * @default `new SecretManagerServiceClient()` from `@google-cloud/secret-manager`, on first use
   */
  readonly client?: SecretVersionWriter;
  /**
   * Twilio's token API.
   * @default `officialTwilioAuthTokens(options)`: the official `twilio` client (`clientOptions` are passed to it)
   */
  readonly twilio?: TwilioAuthTokensApi;
  /**
   * How long the rotation lease outlives a run that died holding it.
   * @default 60000 (60 s)
   */
  readonly leaseMs?: number;
  /**
   * Where the function logs (never a token).
   * @default `stderrJsonLogger`: one JSON line on stderr
   */
  readonly logger?: Logger;
}

/** The `eventType` attribute of the message Secret Manager publishes at the secret's `next_rotation_time`: the only one the function acts on. */
export const SECRET_ROTATE = 'SECRET_ROTATE';
/** The environment variable that gives `projectNumber`. */
export const PROJECT_NUMBER_VARIABLE = 'TWILIO_AUTH_TOKEN_SECRET_PROJECT_NUMBER';

/**
 * The CloudEvent function on the secret's Pub/Sub rotation topic: on Secret Manager's `SECRET_ROTATE`
 * for the configured secret it runs (or resumes) a rotation, adding versions to the secret. Other
 * messages, its own new versions' `SECRET_VERSION_ADD` among them, are ignored. A failure is logged and
 * thrown, so Pub/Sub redelivers; a redelivery after a finished rotation does nothing.
 * @param options - the secret, the Secret Manager client, the Twilio client, the timing, a logger
 * @returns the CloudEvent handler; it resolves to the rotation's outcome, or `undefined` for a message it ignores
 * @example
 * ```ts
 * import * as functions from '@google-cloud/functions-framework';
 * import { secretManagerRotation } from '@twiml-guard/gcp-functions/rotation';
 *
 * functions.cloudEvent('rotateTwilioAuthToken', secretManagerRotation());
 * ```
 */
export function secretManagerRotation(
  options: SecretManagerRotationOptions = {},
): (event: PubSubCloudEvent) => Promise<RotationOutcome | undefined> {
  const logger = options.logger ?? stderrJsonLogger;
  const twilio = options.twilio ?? officialTwilioAuthTokens(options);
  const lazy = lazyClient(createSecretManagerClient<SecretVersionWriter>, options.client);
  const getClient = async (): Promise<SecretVersionWriter> => connected(await lazy());

  /** The configured project's number, as Secret Manager names it in the version it returns (learned once). */
  let learnedProjectNumber: string | undefined;
  const projectNumberOf = async (secret: string): Promise<string | undefined> => {
    const configured = options.projectNumber ?? process.env[PROJECT_NUMBER_VARIABLE]?.trim();
    if (configured) return configured;
    if (learnedProjectNumber === undefined) {
      const [version] = await (await getClient()).accessSecretVersion({ name: `${secret}/versions/latest` });
      const project = parseSecretResource(version.name)?.project;
      if (project !== undefined && isProjectNumber(project)) learnedProjectNumber = project;
    }
    return learnedProjectNumber;
  };

  /** Whether `secretId` (from the message) names the configured secret, with its project by ID or by number. */
  const isConfiguredSecret = async (secretId: string | undefined, secret: string): Promise<boolean> => {
    if (secretId === undefined || secretId === secret) return true;
    const published = parseSecretResource(secretId);
    const own = parseSecretResource(secret);
    if (!published || !own || published.secret !== own.secret) return false;
    if (published.project === own.project) return true;
    // Only a number can be the other name of the configured project ID.
    if (!isProjectNumber(published.project) || isProjectNumber(own.project)) return false;
    return published.project === (await projectNumberOf(secret));
  };

  return async (event) => {
    const message = event?.data?.message;
    const attributes = message?.attributes ?? {};
    const configured = (options.name ?? process.env[SECRET_RESOURCE_VARIABLE])?.replace(/\/versions\/.*$/, '');
    const secret = configured ?? attributes.secretId;
    if (attributes.eventType !== SECRET_ROTATE) {
      // Our own addSecretVersion comes back as SECRET_VERSION_ADD: acting on it would rotate forever.
      logger.info({
        msg: 'rotation: ignored Secret Manager event',
        eventType: attributes.eventType ?? '(none)',
        secretId: attributes.secretId,
      });
      return undefined;
    }
    if (!secret || !(await isConfiguredSecret(attributes.secretId, secret))) {
      logger.warn({
        msg: 'rotation: SECRET_ROTATE for a secret this function does not rotate',
        secretId: attributes.secretId,
        configured: secret ?? '(none)',
      });
      return undefined;
    }
    const reader = await getClient();
    const timing = { ...rotationTimingFromEnv(), ...timingOptions(options) };
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
      ...(reader.getSecret && reader.updateSecret ? secretLease(reader as Required<SecretVersionWriter>, secret, timing) : {}),
    };
    const rotationId = message?.messageId ?? message?.message_id ?? event.id;
    try {
      return await rotateTwilioAuthToken({
        ...timing,
        store,
        twilio,
        logger,
        ...(options.leaseMs !== undefined ? { leaseMs: options.leaseMs } : {}),
        ...(rotationId ? { rotationId } : {}),
      });
    } catch (error) {
      logRotationFailure(logger, error, 'Pub/Sub will redeliver', { secretId: secret });
      throw error;
    }
  };
}

/**
 * The rotation lease, recorded in the secret's annotations and written with the secret's etag: Secret
 * Manager refuses an update whose etag is no longer current, so of two runs that both saw no live
 * lease exactly one records its own. Needs secretmanager.secrets.get and .update on the secret.
 */
function secretLease(
  client: Required<SecretVersionWriter>,
  name: string,
  timing: { now?: () => number },
): Pick<RotationSecretStore, 'claim' | 'release'> {
  const now = timing.now ?? Date.now;
  /** Sets (or, with `until` undefined, clears) our lease if no other owner holds a live one. */
  const update = async (owner: string, until: number | undefined): Promise<boolean> => {
    for (let attempt = 0; attempt < 5; attempt++) {
      const [secret] = await client.getSecret({ name });
      const annotations = { ...(secret.annotations ?? {}) };
      const [holder, heldUntil] = (annotations[ROTATION_LEASE_ANNOTATION] ?? '').split(' ');
      if (holder && holder !== owner && Number(heldUntil) > now()) return false;
      if (until === undefined) {
        if (holder !== owner) return true;
        delete annotations[ROTATION_LEASE_ANNOTATION];
      } else {
        annotations[ROTATION_LEASE_ANNOTATION] = `${owner} ${until}`;
      }
      try {
        await client.updateSecret({
          secret: { name, annotations, ...(secret.etag ? { etag: secret.etag } : {}) },
          updateMask: { paths: ['annotations'] },
        });
        return true;
      } catch (error) {
        // ABORTED / FAILED_PRECONDITION: the etag changed under us; read again and decide again.
        if (!isEtagConflict(error)) throw error;
      }
    }
    return false;
  };
  return {
    claim: (owner, until) => update(owner, until),
    release: async (owner) => {
      await update(owner, undefined);
    },
  };
}

function isEtagConflict(error: unknown): boolean {
  const { code } = (error ?? {}) as { code?: unknown };
  return code === 10 || code === 9 || code === 409 || code === 412;
}

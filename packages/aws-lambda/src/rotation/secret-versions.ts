/**
 * Reading and writing the versions of one secret through the Secrets Manager SDK, loaded on first use
 * (an optional peer; the Lambda runtime ships it). One per rotation handler: the SDK module and the
 * client are created once and shared by every invocation of a warm container.
 */
import { optionalPeerMissing } from '@twiml-guard/core';
import { parseRotationSecret, RotationError, type TwilioTokenSecret } from '@twiml-guard/core/rotation';
import { errorName, secretText, type AwsSdkClientLike } from '../tokens/sdk-client.js';

export type SecretsManagerSdk = typeof import('@aws-sdk/client-secrets-manager');

/** A rotation secret as one version holds it. */
export interface SecretVersion {
  readonly secret: TwilioTokenSecret;
  readonly versionId: string | undefined;
  /** Epoch ms the version was created. */
  readonly createdAt: number | undefined;
}

/** Which version to read: the one labelled `VersionStage`, and only if it is `VersionId` when that is given. */
export interface VersionSelector {
  readonly VersionStage: string;
  readonly VersionId?: string;
}

/** What DescribeSecret answers that the rotation reads. */
export interface SecretDescription {
  readonly RotationEnabled?: boolean;
  readonly VersionIdsToStages?: Record<string, string[]>;
}

export interface SecretVersions {
  /** Sends the command `build` makes from the SDK module. */
  send<T = unknown>(build: (module: SecretsManagerSdk) => unknown): Promise<T>;
  /** The version `selector` names, parsed as a rotation secret; `undefined` when there is none. */
  read(secretId: string, selector: VersionSelector): Promise<SecretVersion | undefined>;
  /** As `read`, but a missing version is a `RotationError`. */
  required(secretId: string, selector: VersionSelector): Promise<SecretVersion>;
  /** A version's raw value by id (the claim versions are not rotation secrets); `undefined` when there is none. */
  raw(secretId: string, versionId: string): Promise<string | undefined>;
  describe(secretId: string): Promise<SecretDescription>;
}

export function secretVersions(options: { readonly client?: AwsSdkClientLike; readonly region?: string }): SecretVersions {
  let sdk: Promise<SecretsManagerSdk> | undefined;
  let client = options.client;

  const send = async <T>(build: (module: SecretsManagerSdk) => unknown): Promise<T> => {
    const module = await (sdk ??= import('@aws-sdk/client-secrets-manager').catch(optionalPeerMissing('@aws-sdk/client-secrets-manager')));
    client ??= new module.SecretsManagerClient(options.region ? { region: options.region } : {});
    return (await client.send(build(module) as never)) as T;
  };

  const read = async (secretId: string, selector: VersionSelector): Promise<SecretVersion | undefined> => {
    let output: { SecretString?: unknown; SecretBinary?: unknown; VersionId?: string; CreatedDate?: Date | number };
    try {
      output = await send<typeof output>((m) => new m.GetSecretValueCommand({ SecretId: secretId, ...selector }));
    } catch (error) {
      if (errorName(error) === 'ResourceNotFoundException') return undefined;
      throw error;
    }
    const text = secretText(output);
    if (text === undefined)
      throw new RotationError(`secret ${secretId} (${selector.VersionStage}) has neither SecretString nor SecretBinary`);
    const created =
      output.CreatedDate instanceof Date
        ? output.CreatedDate.getTime()
        : typeof output.CreatedDate === 'number'
          ? output.CreatedDate * 1000
          : undefined;
    return { secret: parseRotationSecret(text), versionId: output.VersionId, createdAt: created };
  };

  return {
    send,
    read,
    async required(secretId, selector) {
      const version = await read(secretId, selector);
      if (!version)
        throw new RotationError(`secret ${secretId} has no version ${selector.VersionId ?? ''} labelled ${selector.VersionStage}`);
      return version;
    },
    async raw(secretId, versionId) {
      try {
        const output = await send<{ SecretString?: unknown; SecretBinary?: unknown }>(
          (m) => new m.GetSecretValueCommand({ SecretId: secretId, VersionId: versionId }),
        );
        return secretText(output);
      } catch (error) {
        if (errorName(error) === 'ResourceNotFoundException') return undefined;
        throw error;
      }
    },
    describe: (secretId) => send<SecretDescription>((m) => new m.DescribeSecretCommand({ SecretId: secretId })),
  };
}

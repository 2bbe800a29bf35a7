/**
 * A stateful Secrets Manager for rotation tests, on the JSON 1.1 fake the aws-lambda tests use:
 * versions with staging labels and the calls a rotation Lambda makes — GetSecretValue,
 * DescribeSecret, PutSecretValue (ClientRequestToken idempotency), UpdateSecretVersionStage (moving
 * AWSCURRENT labels the old version AWSPREVIOUS) — plus `startRotation`, what RotateSecret does
 * before invoking the Lambda (a new version id labelled AWSPENDING, no value yet).
 */
import { randomUUID } from 'node:crypto';
import { startAwsJsonFake, type AwsJsonFake, type FakeAnswer, type FakeCall } from './aws-json-fake.js';

export { FAKE_CLIENT_CONFIG } from './aws-json-fake.js';

export interface FakeSecretVersion {
  value?: string;
  stages: string[];
  created: number;
}

export interface SecretsManagerFake extends AwsJsonFake {
  readonly name: string;
  readonly arn: string;
  readonly versions: Map<string, FakeSecretVersion>;
  rotationEnabled: boolean;
  /** Starts a rotation as RotateSecret does; returns the ClientRequestToken. */
  startRotation(): string;
  /** The value labelled `stage`, if any. */
  valueAt(stage: string): string | undefined;
  versionAt(stage: string): string | undefined;
}

export async function startSecretsManagerFake(name: string, initialValue: string): Promise<SecretsManagerFake> {
  const arn = `arn:aws:secretsmanager:us-east-1:123456789012:secret:${name}-AbCdEf`;
  const versions = new Map<string, FakeSecretVersion>([
    [randomUUID(), { value: initialValue, stages: ['AWSCURRENT'], created: Date.now() }],
  ]);
  const state = { rotationEnabled: true };

  const versionAt = (stage: string) => [...versions].find(([, version]) => version.stages.includes(stage))?.[0];
  const removeStage = (stage: string) => {
    for (const version of versions.values()) version.stages = version.stages.filter((label) => label !== stage);
  };
  const notFound = (message: string): FakeAnswer => ({ error: 'ResourceNotFoundException', message });
  const invalid = (message: string): FakeAnswer => ({ error: 'InvalidParameterException', message });

  function answer(call: FakeCall): FakeAnswer {
    const input = call.input as Record<string, unknown>;
    if (input.SecretId !== name && input.SecretId !== arn) return notFound("Secrets Manager can't find the specified secret.");
    switch (call.target) {
      case 'secretsmanager.DescribeSecret':
        return {
          output: {
            ARN: arn,
            Name: name,
            RotationEnabled: state.rotationEnabled,
            VersionIdsToStages: Object.fromEntries(
              [...versions].filter(([, v]) => v.stages.length > 0).map(([id, v]) => [id, [...v.stages]]),
            ),
          },
        };
      case 'secretsmanager.GetSecretValue': {
        const stage = typeof input.VersionStage === 'string' ? input.VersionStage : undefined;
        const id = typeof input.VersionId === 'string' ? input.VersionId : versionAt(stage ?? 'AWSCURRENT');
        const version = id === undefined ? undefined : versions.get(id);
        if (!id || !version || version.value === undefined || (stage && !version.stages.includes(stage))) {
          return notFound(
            `Secrets Manager can't find the specified secret value for VersionId: ${String(input.VersionId)} VersionStage: ${String(stage)}`,
          );
        }
        return {
          output: {
            ARN: arn,
            Name: name,
            VersionId: id,
            SecretString: version.value,
            VersionStages: [...version.stages],
            CreatedDate: version.created / 1000,
          },
        };
      }
      case 'secretsmanager.PutSecretValue': {
        const id = String(input.ClientRequestToken ?? randomUUID());
        const value = String(input.SecretString ?? '');
        const stages = Array.isArray(input.VersionStages) ? (input.VersionStages as string[]) : ['AWSCURRENT'];
        const existing = versions.get(id);
        if (existing?.value !== undefined) {
          if (existing.value !== value)
            return { error: 'ResourceExistsException', message: `A resource with the ID you requested already exists.` };
          return { output: { ARN: arn, Name: name, VersionId: id, VersionStages: [...existing.stages] } };
        }
        for (const stage of stages) {
          if (stage === 'AWSCURRENT') moveCurrent(id);
          else removeStage(stage);
        }
        // RotateSecret created the version (and its CreatedDate) already; PutSecretValue only fills in the value.
        const version = existing ?? { stages: [], created: Date.now() };
        version.value = value;
        version.stages = [...new Set([...version.stages, ...stages])];
        versions.set(id, version);
        return { output: { ARN: arn, Name: name, VersionId: id, VersionStages: [...version.stages] } };
      }
      case 'secretsmanager.UpdateSecretVersionStage': {
        const stage = String(input.VersionStage);
        const moveTo = typeof input.MoveToVersionId === 'string' ? input.MoveToVersionId : undefined;
        const removeFrom = typeof input.RemoveFromVersionId === 'string' ? input.RemoveFromVersionId : undefined;
        const holder = versionAt(stage);
        if (moveTo !== undefined && !versions.has(moveTo)) return notFound(`version ${moveTo} not found`);
        if (removeFrom !== undefined && holder !== removeFrom)
          return invalid(`The parameter RemoveFromVersionId doesn't match the version that currently has the label ${stage}.`);
        if (moveTo !== undefined && holder !== undefined && holder !== moveTo && removeFrom === undefined) {
          return invalid(
            `The staging label ${stage} is currently attached to version ${holder}, so you must explicitly reference that version in RemoveFromVersionId.`,
          );
        }
        if (moveTo === undefined) {
          removeStage(stage);
        } else if (stage === 'AWSCURRENT') {
          moveCurrent(moveTo);
        } else {
          removeStage(stage);
          versions.get(moveTo)?.stages.push(stage);
        }
        return { output: { ARN: arn, Name: name } };
      }
      default:
        return { error: 'UnknownOperationException', message: call.target };
    }
  }

  /** AWSCURRENT to `id`; the version that had it becomes AWSPREVIOUS. */
  function moveCurrent(id: string): void {
    const old = versionAt('AWSCURRENT');
    if (old === id) return;
    removeStage('AWSPREVIOUS');
    removeStage('AWSCURRENT');
    if (old !== undefined) versions.get(old)?.stages.push('AWSPREVIOUS');
    let target = versions.get(id);
    if (!target) {
      target = { stages: [], created: Date.now() };
      versions.set(id, target);
    }
    target.stages.push('AWSCURRENT');
  }

  const fake = (await startAwsJsonFake(answer)) as SecretsManagerFake;
  Object.defineProperty(fake, 'rotationEnabled', {
    get: () => state.rotationEnabled,
    set: (value: boolean) => {
      state.rotationEnabled = value;
    },
  });
  return Object.assign(fake, {
    name,
    arn,
    versions,
    startRotation() {
      const token = randomUUID();
      removeStage('AWSPENDING');
      versions.set(token, { stages: ['AWSPENDING'], created: Date.now() });
      return token;
    },
    valueAt: (stage: string) => {
      const id = versionAt(stage);
      return id === undefined ? undefined : versions.get(id)?.value;
    },
    versionAt,
  });
}

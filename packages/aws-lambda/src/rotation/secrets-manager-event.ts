/** The event Secrets Manager sends a rotation Lambda, and the four step names it carries. */

/**
 * The event Secrets Manager sends a rotation Lambda, once per step. The docs spell `Step` in camelCase
 * (`createSecret`) and in snake_case (`create_secret`); both are accepted.
 */
export interface SecretsManagerRotationEvent {
  /** The step to run: `createSecret`, `setSecret`, `testSecret` or `finishSecret` (either spelling). */
  readonly Step: string;
  /** The secret's ARN or name. */
  readonly SecretId: string;
  /** The id of the version being rotated (the one labelled AWSPENDING). */
  readonly ClientRequestToken: string;
  /** Passed back on writes when Secrets Manager sends it (rotation of a secret in another account). */
  readonly RotationToken?: string;
}

/** The four steps of a Secrets Manager rotation, in the order Secrets Manager runs them. */
export type RotationStep = 'createSecret' | 'setSecret' | 'testSecret' | 'finishSecret';

const STEPS: Record<string, RotationStep> = {
  createsecret: 'createSecret',
  setsecret: 'setSecret',
  testsecret: 'testSecret',
  finishsecret: 'finishSecret',
};

/**
 * The step an event's `Step` names, whatever its spelling.
 *
 * @param step - The event's `Step` field (any value; a non-string is no step).
 * @returns The step in camelCase, or `undefined` when `step` names none.
 * @example
 * ```ts
 * import { normalizeRotationStep } from '@twiml-guard/aws-lambda/rotation';
 *
 * normalizeRotationStep('finish_secret'); // 'finishSecret'
 * normalizeRotationStep('bogus');         // undefined
 * ```
 */
export function normalizeRotationStep(step: unknown): RotationStep | undefined {
  return typeof step === 'string' ? STEPS[step.replace(/_/g, '').toLowerCase()] : undefined;
}

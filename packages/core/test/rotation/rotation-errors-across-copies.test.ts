/**
 * The rotation errors are recognised by `instanceof` whichever copy of core created them (a project can
 * load both its CommonJS and its ES module build), as the token errors are; a user's subclass keeps its
 * own identity.
 */
import { RotationError, RotationInProgressError } from '@twiml-guard/core/rotation';

/** A second, independent evaluation of the module: its classes are new objects, as another build's are. */
function otherCopy(): typeof import('../../src/rotation/rotation-error') {
  let loaded: typeof import('../../src/rotation/rotation-error') | undefined;
  jest.isolateModules(() => {
    loaded = jest.requireActual<typeof import('../../src/rotation/rotation-error')>('../../src/rotation/rotation-error');
  });
  return loaded!;
}

test("an error from another copy of core is an instance of this copy's class, and only of its own kind", () => {
  const copy = otherCopy();
  expect(copy.RotationError).not.toBe(RotationError);
  expect(new copy.RotationError('x')).toBeInstanceOf(RotationError);
  expect(new copy.RotationInProgressError('x')).toBeInstanceOf(RotationInProgressError);
  expect(new copy.RotationError('x') instanceof RotationInProgressError).toBe(false);
  expect(new copy.RotationInProgressError('x') instanceof RotationError).toBe(false);
});

test('plain errors, look-alikes and non-objects are not instances', () => {
  expect(new Error('x') instanceof RotationError).toBe(false);
  expect(Object.assign(new Error('x'), { name: 'RotationError' }) instanceof RotationError).toBe(false);
  for (const value of [null, undefined, 'RotationInProgressError'] as unknown[])
    expect(value instanceof RotationInProgressError).toBe(false);
});

test('a subclass is an instance of the base; the base is not an instance of the subclass; message and cause are kept', () => {
  class StoreRefused extends RotationError {}
  expect(new StoreRefused('x')).toBeInstanceOf(RotationError);
  expect(new StoreRefused('x')).toBeInstanceOf(StoreRefused);
  expect(new RotationError('x') instanceof StoreRefused).toBe(false);
  expect(new RotationError('refused', { cause: 'http 401' }).cause).toBe('http 401');
  expect(new RotationInProgressError('held').message).toBe('held');
});

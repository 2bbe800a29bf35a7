/**
 * The token errors are recognised by `instanceof` whichever copy of core created them (a project can
 * load both its CommonJS and its ES module build); a subclass a user writes keeps its own identity.
 */
import { TokenNotConfiguredError, TokenStoreUnavailableError } from '@twiml-guard/core';

/** A second, independent evaluation of core's module: its classes are new objects, as another build's are. */
function otherCopy(): typeof import('../src/tokens/token-source') {
  let loaded: typeof import('../src/tokens/token-source') | undefined;
  jest.isolateModules(() => {
    loaded = jest.requireActual<typeof import('../src/tokens/token-source')>('../src/tokens/token-source');
  });
  return loaded!;
}

test("an error from another copy of core is an instance of this copy's class, and only of its own kind", () => {
  const copy = otherCopy();
  expect(copy.TokenNotConfiguredError).not.toBe(TokenNotConfiguredError);
  expect(new copy.TokenNotConfiguredError('x')).toBeInstanceOf(TokenNotConfiguredError);
  expect(new copy.TokenStoreUnavailableError('x')).toBeInstanceOf(TokenStoreUnavailableError);
  expect(new copy.TokenNotConfiguredError('x') instanceof TokenStoreUnavailableError).toBe(false);
  expect(new copy.TokenStoreUnavailableError('x') instanceof TokenNotConfiguredError).toBe(false);
});

test('plain errors and look-alikes are not instances', () => {
  expect(new Error('x') instanceof TokenNotConfiguredError).toBe(false);
  expect(Object.assign(new Error('x'), { name: 'TokenNotConfiguredError' }) instanceof TokenNotConfiguredError).toBe(false);
  const notObjects: unknown[] = [null, undefined, 'TokenStoreUnavailableError'];
  for (const value of notObjects) expect(value instanceof TokenStoreUnavailableError).toBe(false);
});

test('a subclass is an instance of the base; the base is not an instance of the subclass', () => {
  class MissingTenantToken extends TokenNotConfiguredError {}
  expect(new MissingTenantToken('x')).toBeInstanceOf(TokenNotConfiguredError);
  expect(new MissingTenantToken('x')).toBeInstanceOf(MissingTenantToken);
  expect(new TokenNotConfiguredError('x') instanceof MissingTenantToken).toBe(false);
  expect(new MissingTenantToken('x').message).toBe('x');
  expect(new TokenStoreUnavailableError('down', { cause: 'timeout' }).cause).toBe('timeout');
});

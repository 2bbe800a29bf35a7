/** optionalPeerMissing: a missing optional SDK fails with what to install; every other load error passes through unchanged. */
import { optionalPeerMissing } from '@twiml-guard/core';

describe('optionalPeerMissing', () => {
  test('a package that is not installed: the error names it and says how to install it', async () => {
    // @ts-expect-error the point: a module that is not installed
    const load = import('twiml-guard-no-such-sdk').catch(optionalPeerMissing('twiml-guard-no-such-sdk'));
    await expect(load).rejects.toThrow('twiml-guard-no-such-sdk could not be loaded: install it (npm install twiml-guard-no-such-sdk)');
    await expect(load).rejects.toHaveProperty('cause.code', expect.stringMatching(/MODULE_NOT_FOUND$/));
  });

  test('a load error of another kind is rethrown as it is', async () => {
    const failure = Object.assign(new Error('SyntaxError in the SDK'), { code: 'ERR_SOMETHING_ELSE' });
    await expect(Promise.reject(failure).catch(optionalPeerMissing('@aws-sdk/client-ssm'))).rejects.toBe(failure);
  });

  test('another missing module (a dependency of the SDK) is not blamed on the SDK', async () => {
    const failure = Object.assign(new Error("Cannot find module '@smithy/core'"), { code: 'MODULE_NOT_FOUND' });
    await expect(Promise.reject(failure).catch(optionalPeerMissing('@aws-sdk/client-ssm'))).rejects.toBe(failure);
  });
});

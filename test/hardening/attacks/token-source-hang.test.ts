/**
 * Review of issue 14: a `TokenSource` passed as `authToken` is used as is (no cache, so no cache
 * timeout). One whose `getTokens()` never settled held every request, on every adapter, until the
 * platform killed the invocation: no answer, no log line. The pipeline now bounds the wait (10 s,
 * below Twilio's 15 s) and answers 503 with a log line, as for a store that is down.
 */
import type { TokenSource } from '@twiml-guard/core';
import { capturingLogger, signedFormRequest, smsParams } from '@twiml-guard/test-support';
import { CATALOGUE_TOKEN } from '@twiml-guard/test-support/hardening/catalogue';
import { PLATFORMS, type Delivered, type Platform } from '@twiml-guard/test-support/hardening/platforms';
import { MIDDY_PLATFORMS, WRAPPED_PLATFORMS } from '@twiml-guard/test-support/hardening/wrapped-platforms';

const ENTRY_POINTS: readonly Platform[] = [...PLATFORMS, ...WRAPPED_PLATFORMS, ...MIDDY_PLATFORMS];

/** Advances fake time in small steps until the delivery settles (a real HTTP round trip needs the loop to turn). */
async function settleWithin(delivery: Promise<Delivered>, limitMs: number): Promise<Delivered | 'still waiting'> {
  let settled: Delivered | undefined;
  void delivery.then((value) => (settled = value));
  for (let elapsed = 0; elapsed <= limitMs && settled === undefined; elapsed += 250) await jest.advanceTimersByTimeAsync(250);
  return settled ?? 'still waiting';
}

beforeEach(() => jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] }));
afterEach(() => jest.useRealTimers());

describe.each(ENTRY_POINTS.map((platform) => [platform.name, platform] as const))('%s', (_name, platform) => {
  test.each([
    ['getTokens() never settles', { description: 'hanging-store', getTokens: () => new Promise<never>(() => undefined) }],
    [
      'getTokens() returns a thenable that never calls back',
      { description: 'hanging-thenable', getTokens: () => ({ then: () => undefined }) as unknown as Promise<never> },
    ],
  ] as [string, TokenSource][])('%s: 503 with a log line, never a hung invocation', async (_case, source) => {
    const request = signedFormRequest({ token: CATALOGUE_TOKEN, url: platform.publicUrl, params: smsParams() });
    if (platform.cannotCarry(request)) throw new Error(`${platform.name} cannot carry a plain signed POST`);
    let ran = false;
    const logger = capturingLogger();
    const deployed = platform.deploy(
      () => {
        ran = true;
        return '<Response/>';
      },
      { authToken: source, logger },
    );
    const response = await settleWithin(deployed(request), 12_000);
    expect(response).not.toBe('still waiting');
    expect((response as Delivered).status).toBe(503);
    expect(ran).toBe(false);
    expect(logger.at('error').map((entry) => entry.msg)).toEqual([expect.stringMatching(/no answer to getTokens within 10000 ms/)]);
  });
});

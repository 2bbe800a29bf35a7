/** withTwilioSignature: the existing handler sees the exact original event and context, or is never called. */
import { withTwilioSignature } from '@twiml-guard/aws-lambda';
import { FIXTURES, type Fixture } from '@twiml-guard/test-support/platforms/lambda-events';
import { AUTH_TOKEN, OTHER_TOKEN, captureLogger, signedEvent } from '@twiml-guard/test-support/platforms/lambda-sign';

const cases = FIXTURES.filter(
  (fixture) => !fixture.needsConfig && ['1 ', '9 ', '15', '16', '19'].some((prefix) => fixture.name.startsWith(prefix)),
);

describe.each(cases.map((fixture) => [fixture.name, fixture] as const))('%s', (_name, fixture: Fixture) => {
  test('valid: called with the original event and context, its result returned untouched', async () => {
    const calls: Array<{ event: unknown; context: unknown }> = [];
    const result = { statusCode: 201, headers: { 'x-own': 'yes' }, body: 'from the existing handler', cookies: ['a=b'] };
    const existing = async (event: unknown, context: unknown) => {
      calls.push({ event, context });
      return result;
    };
    const guarded = withTwilioSignature(existing, { authToken: AUTH_TOKEN, logger: captureLogger().logger });
    const event = signedEvent(fixture);
    const snapshot = structuredClone(event);
    const context = { awsRequestId: 'req-1', functionName: 'fn' };
    const returned = await guarded(event, context);
    expect(returned).toBe(result);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.event).toBe(event);
    expect(calls[0]?.context).toBe(context);
    expect(event).toEqual(snapshot);
  });

  test('forged: never called, 403 in the source shape', async () => {
    const existing = jest.fn(async (_event: unknown, _context: unknown) => ({ statusCode: 200, body: 'should not run' }));
    const guarded = withTwilioSignature(existing, { authToken: AUTH_TOKEN, logger: captureLogger().logger });
    const result = (await guarded(signedEvent(fixture, OTHER_TOKEN), {})) as { statusCode: number; statusDescription?: string };
    expect(result.statusCode).toBe(403);
    expect(existing).not.toHaveBeenCalled();
    if (fixture.source === 'alb') expect(result.statusDescription).toBe('403 Forbidden');
  });
});

test('unknown event: never called, 400', async () => {
  const existing = jest.fn(async (_event: unknown, _context: unknown) => ({ statusCode: 200, body: '' }));
  const guarded = withTwilioSignature(existing, { authToken: AUTH_TOKEN, logger: captureLogger().logger });
  expect(await guarded({ Records: [] }, {})).toEqual(expect.objectContaining({ statusCode: 400 }));
  expect(existing).not.toHaveBeenCalled();
});

describe('callback-style handlers (event, context, callback), as @types/aws-lambda allows them', () => {
  const fixture = cases[0]!;

  test('the result passed to the callback is the guarded handler result', async () => {
    const result = { statusCode: 200, body: 'from the callback' };
    const existing = (
      _event: unknown,
      _context: unknown,
      callback: (error: Error | null, answer?: { statusCode: number; body: string }) => void,
    ) => {
      setImmediate(() => callback(null, result));
    };
    const guarded = withTwilioSignature(existing, { authToken: AUTH_TOKEN, logger: captureLogger().logger });
    expect(await guarded(signedEvent(fixture), {})).toBe(result);
  });

  test('an error passed to the callback rejects, as Lambda reports a handler error', async () => {
    const failure = new Error('downstream failed');
    const existing = (_event: unknown, _context: unknown, callback: (error: Error | null) => void) => callback(failure);
    const guarded = withTwilioSignature(existing, { authToken: AUTH_TOKEN, logger: captureLogger().logger });
    await expect(guarded(signedEvent(fixture), {})).rejects.toBe(failure);
  });

  test('a synchronous handler without a callback answers with what it returns', async () => {
    const existing = (_event: unknown, _context: unknown) => ({ statusCode: 204, body: '' });
    const guarded = withTwilioSignature(existing, { authToken: AUTH_TOKEN, logger: captureLogger().logger });
    expect(await guarded(signedEvent(fixture), {})).toEqual({ statusCode: 204, body: '' });
  });
});

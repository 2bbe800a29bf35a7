/**
 * An event the translator throws on (a corrupted field, a translator bug) is
 * a logged 500, as the adapter contract promises, and in the result shape of the event's source: an
 * ALB reads `statusDescription`, and with multi-value headers on it reads only `multiValueHeaders`.
 */
import { twilioSignature, twilioWebhook, withTwilioSignature } from '@twiml-guard/aws-lambda';
import { FIXTURES, type Fixture } from '@twiml-guard/test-support/platforms/lambda-events';
import { captureLogger, signedEvent } from '@twiml-guard/test-support/platforms/lambda-sign';

const AUTH_TOKEN = '0123456789abcdef0123456789abcdef';
const byName = (prefix: string): Fixture => FIXTURES.find((fixture) => fixture.name.startsWith(prefix)) as Fixture;

/** A signed ALB event the translator throws on: a corrupted field whose getter throws (any translator bug ends the same way). */
function albEventTranslationThrowsOn(prefix: '18' | '19'): Record<string, unknown> {
  const event = signedEvent(byName(prefix), AUTH_TOKEN);
  Object.defineProperty(event, 'isBase64Encoded', {
    enumerable: true,
    get() {
      throw new Error('corrupted event');
    },
  });
  return event;
}

const entryPoints: readonly [string, (event: unknown, logger: ReturnType<typeof captureLogger>['logger']) => Promise<unknown>][] = [
  ['twilioWebhook', (event, logger) => twilioWebhook(() => '<Response/>', { authToken: AUTH_TOKEN, logger })(event, {} as never)],
  [
    'withTwilioSignature',
    (event, logger) =>
      withTwilioSignature(async () => ({ statusCode: 200, body: 'handler ran' }), { authToken: AUTH_TOKEN, logger })(
        event as never,
        {} as never,
      ),
  ],
  ['twilioSignature (Middy)', (event, logger) => twilioSignature({ authToken: AUTH_TOKEN, logger }).before({ event, context: {} })],
];

describe.each(entryPoints)('%s: the translator throws on an ALB event', (_name, run) => {
  test('single-value headers: a logged 500 in the ALB shape (with statusDescription)', async () => {
    const { logs, logger } = captureLogger();
    const result = await run(albEventTranslationThrowsOn('18'), logger);
    expect(result).toEqual({
      statusCode: 500,
      statusDescription: '500 Internal Server Error',
      headers: { 'content-type': 'text/plain; charset=utf-8' },
      body: 'Internal Server Error',
      isBase64Encoded: false,
    });
    expect(logs).toEqual([
      expect.objectContaining({ level: 'error', entry: expect.objectContaining({ msg: 'webhook guard failed', adapter: 'aws-lambda' }) }),
    ]);
  });

  test('multi-value headers: a logged 500 the ALB can read (multiValueHeaders, no headers)', async () => {
    const { logger } = captureLogger();
    const result = await run(albEventTranslationThrowsOn('19'), logger);
    expect(result).toEqual({
      statusCode: 500,
      statusDescription: '500 Internal Server Error',
      multiValueHeaders: { 'content-type': ['text/plain; charset=utf-8'] },
      body: 'Internal Server Error',
      isBase64Encoded: false,
    });
  });
});

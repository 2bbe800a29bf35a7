/**
 * Review of issue 14: hand-made or corrupted Lambda events (any JSON value in any field of a real
 * event shape) through the three Lambda entry points. Whatever the event holds, the answer is a
 * result object with an integer status (never a throw, which fails the invocation).
 */
import fc from 'fast-check';
import { twilioSignature as middyMiddleware, twilioWebhook, withTwilioSignature } from '@twiml-guard/aws-lambda';
import { capturingLogger, signedFormRequest, smsParams } from '@twiml-guard/test-support';
import { CATALOGUE_TOKEN } from '@twiml-guard/test-support/hardening/catalogue';
import { asDelivered, LAMBDA_SHAPES, lambdaEvent } from '@twiml-guard/test-support/hardening/platforms';

const PUBLIC_URLS: Record<string, string> = {
  'rest-v1': 'https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/prod/sms',
  'http-v1': 'https://f6g7h8i9j0.execute-api.us-east-1.amazonaws.com/sms',
  'http-v2': 'https://k1l2m3n4o5.execute-api.us-east-1.amazonaws.com/sms',
  'function-url': 'https://abcdefghijklmnopqrstuvwxyz012345.lambda-url.us-east-1.on.aws/sms',
  'alb-single': 'https://my-alb-1234567890.us-east-1.elb.amazonaws.com/sms',
  'alb-multi': 'https://my-alb-1234567890.us-east-1.elb.amazonaws.com/sms',
};

/** Any JSON value the Lambda runtime could parse. */
const jsonValue = fc.jsonValue({ maxDepth: 2 });

/** A path to a field of the event (top level, or one level down), replaced by `value`. */
function mutate(event: Record<string, unknown>, path: string[], value: unknown): Record<string, unknown> {
  const copy = JSON.parse(JSON.stringify(event)) as Record<string, unknown>;
  let target: Record<string, unknown> = copy;
  for (const key of path.slice(0, -1)) {
    const next = target[key];
    if (typeof next !== 'object' || next === null) return copy;
    target = next as Record<string, unknown>;
  }
  target[path[path.length - 1] as string] = value;
  return copy;
}

function fieldPaths(event: Record<string, unknown>): string[][] {
  const paths: string[][] = [];
  for (const [key, value] of Object.entries(event)) {
    paths.push([key]);
    if (typeof value === 'object' && value !== null && !Array.isArray(value))
      for (const inner of Object.keys(value)) paths.push([key, inner]);
  }
  paths.push(
    ['headers', 'x-twilio-signature'],
    ['multiValueHeaders', 'x-twilio-signature'],
    ['headers', 'Host'],
    ['requestContext', 'http', 'method'],
  );
  return paths;
}

describe.each(LAMBDA_SHAPES.map((shape) => [shape] as const))('%s', (shape) => {
  const signed = signedFormRequest({ token: CATALOGUE_TOKEN, url: PUBLIC_URLS[shape] as string, params: smsParams() });
  const base = asDelivered(lambdaEvent(shape, signed));
  const paths = fieldPaths(base);

  test.each([
    ['headers', 'content-type', { toString: [] }],
    ['headers', 'x-twilio-signature', { valueOf: {}, toString: {} }],
    ['multiValueHeaders', 'x-twilio-signature', [{ toString: [] }]],
  ])('a %s value that String() cannot convert (%s) is no header, not a thrown TypeError', async (map, name, value) => {
    // Payload 2.0 and single-value ALB events have no multiValueHeaders; multi-value ALB events no headers.
    if (!(map in base)) return expect(shape).toMatch(/http-v2|function-url|alb-single|alb-multi/);
    const event = mutate(base, [map, name], value);
    const logger = capturingLogger();
    const result = await twilioWebhook(() => '<Response/>', { authToken: CATALOGUE_TOKEN, logger })(event, {});
    // Where multiValueHeaders is present the adapter reads it, not headers: the request stays intact.
    const read = map === 'multiValueHeaders' || !('multiValueHeaders' in base);
    if (read) {
      expect([400, 403, 415]).toContain(result.statusCode);
      expect(logger.entries.map(({ entry }) => entry.status)).toEqual([result.statusCode]);
    } else {
      expect(result.statusCode).toBe(200);
    }
  });

  test('a rawQueryString that is not a string (found by the generated case below) is a 400, not a thrown TypeError', async () => {
    if (!('rawQueryString' in base)) return expect(shape).not.toMatch(/http-v2|function-url/);
    const logger = capturingLogger();
    const result = await twilioWebhook(() => '<Response/>', { authToken: CATALOGUE_TOKEN, logger })(
      mutate(base, ['rawQueryString'], { toString: 0 }),
      {},
    );
    expect(result.statusCode).toBe(400);
    expect(JSON.stringify(logger.entries)).toContain('rawQueryString is not a string');
  });

  test('generated: one field replaced by any JSON value never makes an entry point throw', async () => {
    const options = { authToken: CATALOGUE_TOKEN, logger: capturingLogger() };
    const webhook = twilioWebhook(() => '<Response/>', options);
    const wrapped = withTwilioSignature(async (_event: unknown, _context: unknown) => ({ statusCode: 200, body: 'existing' }), options);
    const middleware = middyMiddleware(options);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...paths), jsonValue, async (path, value) => {
        const event = mutate(base, path, value);
        const results = [
          await webhook(event, {}),
          await wrapped(event, {}),
          (await middleware.before({ event, context: {} })) ?? { statusCode: 200 },
        ];
        for (const result of results) {
          expect(typeof result).toBe('object');
          expect(Number.isInteger((result as { statusCode: number }).statusCode)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});

/** Platform-specific broken input: a clear 400 and a log line, never a crash; the handler never runs. */
import { twilioWebhook, detectSource } from '@twiml-guard/aws-lambda';
import { FIXTURES, type Fixture } from '@twiml-guard/test-support/platforms/lambda-events';
import { AUTH_TOKEN, captureLogger, signedEvent } from '@twiml-guard/test-support/platforms/lambda-sign';

const byName = (prefix: string): Fixture => FIXTURES.find((fixture) => fixture.name.startsWith(prefix)) as Fixture;

function setup() {
  const calls: unknown[] = [];
  const { logs, logger } = captureLogger();
  const handler = twilioWebhook(
    (event) => {
      calls.push(event);
      return '<Response/>';
    },
    { authToken: AUTH_TOKEN, logger },
  );
  return { handler, calls, logs };
}

describe('event shapes', () => {
  test.each([
    ['null', null],
    ['a string', 'hello'],
    ['an array', []],
    ['a direct invoke payload', { key1: 'value1' }],
    ['an SQS event', { Records: [{ eventSource: 'aws:sqs', body: 'x' }] }],
    ['requestContext without http/elb/httpMethod', { requestContext: { accountId: '1' }, body: 'x' }],
  ])('%s → API Gateway-shaped 400 and a log line', async (_label, event) => {
    const { handler, calls, logs } = setup();
    const result = await handler(event);
    expect(result).toEqual({
      statusCode: 400,
      headers: { 'content-type': 'text/plain; charset=utf-8' },
      body: 'Bad Request',
      isBase64Encoded: false,
    });
    expect(calls).toHaveLength(0);
    expect(logs).toEqual([
      expect.objectContaining({
        level: 'warn',
        entry: expect.objectContaining({ status: 400, msg: expect.stringMatching(/^rejected webhook: /) }),
      }),
    ]);
  });

  test('missing requestContext on an otherwise REST-looking event is named in the log', async () => {
    const { handler, logs } = setup();
    const event = signedEvent(byName('1 '));
    delete event.requestContext;
    expect((await handler(event)).statusCode).toBe(400);
    expect(String(logs[0]?.entry.msg)).toMatch(/no requestContext/);
  });

  test('detectSource: payload 1.0 on HTTP API by version, REST with rawPath stays REST, lambda-url host is a Function URL', () => {
    expect(detectSource(byName('15').event)).toBe('http-v1');
    expect(detectSource(byName('5 ').event)).toBe('rest-v1');
    expect(detectSource(byName('16').event)).toBe('function-url');
    expect(detectSource(byName('9 ').event)).toBe('http-v2');
    expect(detectSource(byName('18').event)).toBe('alb');
  });
});

describe('bodies', () => {
  test.each([
    ['HTTP API', '9 '],
    ['REST', '7 '],
    ['Function URL', '16'],
  ])('%s: isBase64Encoded with a body that is not base64 → 400, handler never runs', async (_label, prefix) => {
    const { handler, calls, logs } = setup();
    const event = signedEvent(byName(prefix));
    event.body = 'From=%2B1555&Body=not+base64!';
    expect(event.isBase64Encoded).toBe(true);
    const result = await handler(event);
    expect(result.statusCode).toBe(400);
    expect(calls).toHaveLength(0);
    expect(String(logs[0]?.entry.msg)).toMatch(/not valid base64/);
  });

  test('base64 with a character removed (length no longer a multiple of 4) → 400', async () => {
    const { handler } = setup();
    const event = signedEvent(byName('9 '));
    event.body = String(event.body).slice(1);
    expect((await handler(event)).statusCode).toBe(400);
  });

  test('ALB: bad base64 gets an ALB-shaped 400', async () => {
    const { handler } = setup();
    const event = signedEvent(byName('18'));
    event.isBase64Encoded = true;
    event.body = '%%%';
    const result = await handler(event);
    expect(result).toEqual(expect.objectContaining({ statusCode: 400, statusDescription: '400 Bad Request', isBase64Encoded: false }));
  });

  test('a body already parsed into an object (a parser ran first) → 400, never re-serialised', async () => {
    const { handler, calls } = setup();
    const event = signedEvent(byName('1 '));
    event.body = { From: '+15551234567' };
    expect((await handler(event)).statusCode).toBe(400);
    expect(calls).toHaveLength(0);
  });

  test('ALB without a host header → 400', async () => {
    const { handler } = setup();
    const event = signedEvent(byName('18'));
    delete (event.headers as Record<string, string>).host;
    expect((await handler(event)).statusCode).toBe(400);
  });

  test('a handler that throws → 500 in the source shape, not a crash', async () => {
    const { logger } = captureLogger();
    const handler = twilioWebhook(
      () => {
        throw new Error('boom');
      },
      { authToken: AUTH_TOKEN, logger },
    );
    const result = await handler(signedEvent(byName('19')));
    expect(result).toEqual(expect.objectContaining({ statusCode: 500, statusDescription: '500 Internal Server Error' }));
  });
});

describe('review findings: corrupted events and query spellings', () => {
  test('non-array multi-value query values and a non-string domainName are a 4xx, never a TypeError', async () => {
    const { twilioWebhook } = await import('@twiml-guard/aws-lambda');
    const handler = twilioWebhook(() => '<Response/>', {
      authToken: '0123456789abcdef0123456789abcdef',
      logger: { info() {}, warn() {}, error() {} },
    });
    const rest = {
      resource: '/sms',
      path: '/sms',
      httpMethod: 'POST',
      headers: { host: 'abc.execute-api.us-east-1.amazonaws.com' },
      multiValueQueryStringParameters: { a: 5 },
      requestContext: { path: '/prod/sms', stage: 'prod', domainName: 'abc.execute-api.us-east-1.amazonaws.com' },
      body: '',
      isBase64Encoded: false,
    };
    const v2 = {
      version: '2.0',
      rawPath: '/sms',
      rawQueryString: '',
      headers: { host: 'abc.execute-api.us-east-1.amazonaws.com' },
      requestContext: { domainName: 42, stage: '$default', http: { method: 'POST', path: '/sms' } },
      body: '',
      isBase64Encoded: false,
    };
    for (const event of [rest, v2]) {
      const result = (await handler(event as never, {} as never)) as { statusCode: number };
      expect(result.statusCode).toBeGreaterThanOrEqual(400);
      expect(result.statusCode).toBeLessThan(500);
    }
  });

  test('a null single-value query value in a hand-made ALB event is left out, as the REST rebuild leaves it out', async () => {
    const { handler, calls } = setup();
    const alb = byName('18');
    const event = signedEvent({
      ...alb,
      event: { ...alb.event, queryStringParameters: { name: 'O%27Hara', dropped: null, x: 'a+b' } },
    });
    expect(((await handler(event as never, {} as never)) as { statusCode: number }).statusCode).toBe(200);
    expect(calls).toHaveLength(1);
    expect((calls[0] as { url: string }).url).toBe(alb.trueUrl);
  });

  test('a REST query Twilio signed with + for spaces is rebuilt with + and validates', async () => {
    const twilio = (await import('twilio')).default;
    const { twilioWebhook } = await import('@twiml-guard/aws-lambda');
    const token = '0123456789abcdef0123456789abcdef';
    const handler = twilioWebhook(() => '<Response/>', { authToken: token, logger: { info() {}, warn() {}, error() {} } });
    const params = { AccountSid: 'AC0123456789abcdef0123456789abcdef', Body: 'hi' };
    for (const spelling of ['hello+world', 'hello%20world']) {
      const signature = twilio.getExpectedTwilioSignature(
        token,
        `https://abc.execute-api.us-east-1.amazonaws.com/prod/sms?greeting=${spelling}`,
        params,
      );
      const event = {
        resource: '/sms',
        path: '/sms',
        httpMethod: 'POST',
        headers: {
          host: 'abc.execute-api.us-east-1.amazonaws.com',
          'content-type': 'application/x-www-form-urlencoded',
          'x-twilio-signature': signature,
        },
        queryStringParameters: { greeting: 'hello world' },
        multiValueQueryStringParameters: { greeting: ['hello world'] },
        requestContext: { path: '/prod/sms', stage: 'prod', domainName: 'abc.execute-api.us-east-1.amazonaws.com' },
        body: new URLSearchParams(params).toString(),
        isBase64Encoded: false,
      };
      expect(((await handler(event as never, {} as never)) as { statusCode: number }).statusCode).toBe(200);
    }
  });
});

/** Every captured event shape, signed for its true public URL: accepted by inference or the documented option, forged → 403. */
import { twilioWebhook, type LambdaPlatformContext, type TwilioWebhookEvent } from '@twiml-guard/aws-lambda';
import { FIXTURES, type Fixture } from '@twiml-guard/test-support/platforms/lambda-events';
import {
  AUTH_TOKEN,
  OTHER_TOKEN,
  captureLogger,
  decodedBody,
  formParams,
  resolveFixture,
  signedEvent,
  withHeader,
  signatureFor,
} from '@twiml-guard/test-support/platforms/lambda-sign';

const TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response><Message>ok</Message></Response>';

function webhook(fixture: Fixture, withOptions: boolean) {
  const seen: { event?: TwilioWebhookEvent; platform?: LambdaPlatformContext } = {};
  const { logs, logger } = captureLogger();
  const handler = twilioWebhook(
    (event, platform) => {
      seen.event = event;
      seen.platform = platform;
      return TWIML;
    },
    { authToken: AUTH_TOKEN, logger, ...(withOptions ? fixture.options : {}) },
  );
  return { handler, seen, logs };
}

function expectShape(fixture: Fixture, result: Record<string, unknown>, status: number): void {
  expect(result.statusCode).toBe(status);
  expect(result.isBase64Encoded).toBe(false);
  expect(typeof result.body).toBe('string');
  if (fixture.source === 'alb') {
    expect(result.statusDescription).toBe(
      ({ 200: '200 OK', 400: '400 Bad Request', 403: '403 Forbidden' } as Record<number, string>)[status],
    );
    if (fixture.event.multiValueHeaders) {
      expect(result.multiValueHeaders).toEqual(expect.objectContaining({ 'content-type': [expect.any(String)] }));
      expect(result.headers).toBeUndefined();
    } else {
      expect(result.headers).toEqual(expect.objectContaining({ 'content-type': expect.any(String) }));
      expect(result.multiValueHeaders).toBeUndefined();
    }
  } else {
    expect(result.statusDescription).toBeUndefined();
    expect(result.headers).toEqual(expect.objectContaining({ 'content-type': expect.any(String) }));
  }
}

describe.each(FIXTURES.map((fixture) => [fixture.name, resolveFixture(fixture)] as const))('%s', (_name, fixture) => {
  test('signed for its true URL: accepted, TwiML in the shape of the source', async () => {
    const { handler, seen } = webhook(fixture, true);
    const event = signedEvent(fixture);
    const result = (await handler(event, { awsRequestId: 'r1' })) as unknown as Record<string, unknown>;
    expectShape(fixture, result, 200);
    expect(result.body).toBe(TWIML);
    expect(seen.event?.url).toBe(fixture.trueUrl);
    expect(seen.platform?.event).toBe(event);
    expect(seen.platform?.source).toBe(fixture.source);
    if (fixture.kind === 'form') expect(seen.event?.params).toEqual(formParams(decodedBody(fixture.event)));
    else expect(seen.event?.json).toEqual(JSON.parse(decodedBody(fixture.event)));
  });

  test('forged (signed with another token): 403, handler never runs', async () => {
    const { handler, seen } = webhook(fixture, true);
    const result = (await handler(signedEvent(fixture, OTHER_TOKEN))) as unknown as Record<string, unknown>;
    expectShape(fixture, result, 403);
    expect(seen.event).toBeUndefined();
  });

  test('no signature header: 400', async () => {
    const { handler } = webhook(fixture, true);
    const result = (await handler(structuredClone(fixture.event))) as unknown as Record<string, unknown>;
    expectShape(fixture, result, 400);
  });

  if (fixture.needsConfig) {
    test('without the url/baseUrl option inference cannot know the URL: 403 and the log says what to set', async () => {
      const { handler, seen, logs } = webhook(fixture, false);
      const result = (await handler(signedEvent(fixture))) as unknown as Record<string, unknown>;
      expect(result.statusCode).toBe(403);
      expect(seen.event).toBeUndefined();
      const line = logs.find((log) => log.entry.status === 403)?.entry;
      expect(JSON.stringify(line?.hints)).toMatch(/set the url/);
    });
  } else {
    test('inference alone rebuilds the true URL', async () => {
      const { handler, seen } = webhook(fixture, false);
      const result = (await handler(signedEvent(fixture))) as unknown as Record<string, unknown>;
      expect(result.statusCode).toBe(200);
      expect(seen.event?.url).toBe(fixture.trueUrl);
    });

    test('the documented baseUrl + the path relative to the API root rebuilds it too', async () => {
      const { handler, seen } = webhook({ ...fixture, options: { baseUrl: fixture.baseUrl as string } }, true);
      const result = (await handler(signedEvent(fixture))) as unknown as Record<string, unknown>;
      expect(result.statusCode).toBe(200);
      expect(seen.event?.url).toBe(fixture.trueUrl);
    });
  }
});

describe('signature made for a near-miss URL', () => {
  test('REST: signed without the stage is refused and the log names the stage-less URL', async () => {
    const fixture = FIXTURES[0] as Fixture;
    const { handler, logs } = webhook(fixture, false);
    const wrongUrl = fixture.trueUrl.replace('/prod', '');
    const event = withHeader(fixture.event, 'X-Twilio-Signature', signatureFor(fixture, AUTH_TOKEN, wrongUrl));
    const result = (await handler(event)) as unknown as Record<string, unknown>;
    expect(result.statusCode).toBe(403);
    const line = logs.find((log) => log.entry.status === 403)?.entry;
    expect(line?.wouldMatch).toBe(wrongUrl);
    expect(line?.url).toBe(fixture.trueUrl);
  });
});

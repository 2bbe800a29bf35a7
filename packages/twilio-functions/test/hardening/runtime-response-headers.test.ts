/**
 * Review of issue 14 (class 4, response side): `PlainRuntimeResponse`, the Twilio Runtime response
 * used where the Runtime's global `Twilio.Response` is absent, appended headers onto `{}`. A handler
 * header named `constructor` went out as "function Object() { [native code] }, y".
 */
import { PlainRuntimeResponse, twilioWebhook } from '@twiml-guard/twilio-functions';
import { capturingLogger, signedFormRequest, smsParams } from '@twiml-guard/test-support';
import { CATALOGUE_TOKEN } from '@twiml-guard/test-support/hardening/catalogue';
import { platformNamed, runtimeInvocation } from '@twiml-guard/test-support/hardening/platforms';

test('a handler header named constructor goes out as its own value', async () => {
  const name = 'constructor';
  const runtime = platformNamed('twilio-functions');
  const request = signedFormRequest({ token: CATALOGUE_TOKEN, url: runtime.publicUrl, params: smsParams() });
  const { context, event } = runtimeInvocation(request);
  const handle = twilioWebhook(() => ({ headers: { [name]: 'y' }, body: '<Response/>' }), {
    authToken: CATALOGUE_TOKEN,
    logger: capturingLogger(),
  });
  const response = await new Promise<PlainRuntimeResponse>((resolve) => {
    void handle(context, event, (_error, result) => resolve(result as PlainRuntimeResponse));
  });
  expect(response.statusCode).toBe(200);
  expect(response.headers[name]).toBe('y');
});

test("a header named __proto__ is a header, not the map's prototype", () => {
  const response = new PlainRuntimeResponse().appendHeader('__proto__', 'x').appendHeader('__proto__', 'y');
  expect(Object.getOwnPropertyDescriptor(response.headers, '__proto__')?.value).toEqual(['x', 'y']);
});

test('appending twice still makes a list', () => {
  const response = new PlainRuntimeResponse().appendHeader('set-cookie', 'a=1').appendHeader('set-cookie', 'b=2');
  expect(response.headers['set-cookie']).toEqual(['a=1', 'b=2']);
});

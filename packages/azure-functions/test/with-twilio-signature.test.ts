import { withTwilioSignature } from '@twiml-guard/azure-functions';
import type { HttpRequest } from '@azure/functions';
import {
  AUTH_TOKEN,
  FORM,
  hostRequest,
  invocationContext,
  memoryLogger,
  signedSmsRequest,
  smsForm,
} from '@twiml-guard/test-support/platforms/azure-host';

const APP_HOST = 'myapp.azurewebsites.net';

describe('withTwilioSignature (an existing Azure handler)', () => {
  it('runs the original handler with the original request, body unread, only when signed', async () => {
    let bodySeen: string | undefined;
    let requestSeen: HttpRequest | undefined;
    const guarded = withTwilioSignature(
      async (request) => {
        requestSeen = request;
        bodySeen = await request.text();
        return { status: 200, body: 'handled' };
      },
      { authToken: AUTH_TOKEN, logger: memoryLogger() },
    );
    const form = smsForm();
    const request = signedSmsRequest({ host: APP_HOST, target: '/api/sms', signedUrl: `https://${APP_HOST}/api/sms` });

    expect(await guarded(request, invocationContext())).toEqual({ status: 200, body: 'handled' });
    expect(requestSeen).toBe(request);
    expect(bodySeen).toBe(form.body);

    bodySeen = undefined;
    const forged = signedSmsRequest({ host: APP_HOST, target: '/api/sms', signedUrl: `https://${APP_HOST}/api/other` });
    expect((await guarded(forged, invocationContext())).status).toBe(403);
    expect(bodySeen).toBeUndefined();
  });

  it('refuses a request whose body was already consumed with 400', async () => {
    const guarded = withTwilioSignature(() => ({ status: 200 }), { authToken: AUTH_TOKEN, logger: memoryLogger() });
    const request = hostRequest({ host: APP_HOST, target: '/api/sms', headers: FORM, body: smsForm().body });
    await request.arrayBuffer();
    expect((await guarded(request, invocationContext())).status).toBe(400);
  });
});

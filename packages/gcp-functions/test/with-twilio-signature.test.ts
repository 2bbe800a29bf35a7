/** An existing Functions Framework handler, guarded, through the real framework. */
import * as functions from '@google-cloud/functions-framework';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import { withTwilioSignature } from '@twiml-guard/gcp-functions';
import { AUTH_TOKEN, listen, memoryLogger, sendSignedSms } from '@twiml-guard/test-support/platforms/gcp-http-client';

const HOST = 'sms-abc123def-uc.a.run.app';
let ran = 0;
functions.http(
  'legacySms',
  withTwilioSignature(
    (req: functions.Request, res: functions.Response) => {
      ran++;
      res.type('text/xml').send(`<Response><Message>${String((req.body as { Body?: string }).Body)}</Message></Response>`);
    },
    { authToken: AUTH_TOKEN, logger: memoryLogger() },
  ),
);

describe('withTwilioSignature (an existing GCP handler)', () => {
  it('runs the original handler with req and res only for signed requests', async () => {
    const server = await listen(getTestServer('legacySms'));
    try {
      const ok = await sendSignedSms(server.port, { host: HOST, path: '/', signedUrl: `https://${HOST}/` });
      expect(ok.status).toBe(200);
      expect(ok.body).toBe('<Response><Message>Hello there</Message></Response>');
      expect(ran).toBe(1);

      const forged = await sendSignedSms(server.port, { host: HOST, path: '/', signedUrl: `https://${HOST}/other` });
      expect(forged.status).toBe(403);
      expect(ran).toBe(1);
    } finally {
      await server.close();
    }
  });
});

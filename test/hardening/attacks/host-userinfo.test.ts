/**
 * Review of issue 14: user info smuggled into the Host header. The core removes `user:password@`
 * from the public URL because Twilio signs a configured URL without its credentials. A platform's
 * Host header never legitimately holds one, yet stripping it made `Host: other@a.example.com` verify
 * a capture for https://a.example.com/sms at whatever function a host-routing rule (an ALB's
 * `*.example.com`, a load balancer in front of Cloud Run) sent that Host to.
 */
import { capturingLogger, signedFormRequest, smsParams } from '@twiml-guard/test-support';
import { CATALOGUE_TOKEN } from '@twiml-guard/test-support/hardening/catalogue';
import { PLATFORMS, type Platform } from '@twiml-guard/test-support/hardening/platforms';
import { MIDDY_PLATFORMS, WRAPPED_PLATFORMS } from '@twiml-guard/test-support/hardening/wrapped-platforms';

/** The Runtime's URL is DOMAIN_NAME + PATH from the invocation context: no request header reaches it. */
const ENTRY_POINTS: readonly Platform[] = [...PLATFORMS, ...WRAPPED_PLATFORMS, ...MIDDY_PLATFORMS].filter(
  (platform) => !platform.name.startsWith('twilio-functions'),
);

describe.each(ENTRY_POINTS.map((platform) => [platform.name, platform] as const))('%s', (_name, platform) => {
  test('a capture for the function URL is not accepted with user info in the Host header', async () => {
    const signed = signedFormRequest({ token: CATALOGUE_TOKEN, url: platform.publicUrl, params: smsParams() });
    const smuggled = platform.publicUrl.replace('://', '://b.example.com@');
    const request = { ...signed, url: smuggled };
    if (platform.cannotCarry(request)) return;
    let ran = false;
    const logger = capturingLogger();
    let status: number;
    try {
      status = (
        await platform.deploy(
          () => {
            ran = true;
            return '<Response/>';
          },
          { authToken: CATALOGUE_TOKEN, logger },
        )(request)
      ).status;
    } catch (error) {
      // The test's own client (Request, node:http) may refuse such a URL before any platform sees it.
      return expect(String(error)).toMatch(/credentials|Invalid|unescaped|Host/i);
    }
    expect({ status, ran }).toEqual({ status: expect.any(Number), ran: false });
    expect(status).toBeGreaterThanOrEqual(400);
  });
});

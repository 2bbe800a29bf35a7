/**
 * Review of issue 14: a handler's `content-length` that is not the body's length. The adapters write
 * the body themselves, so on the Functions Framework (a Node server) `{ headers: { 'content-length':
 * '999' }, body: 'x' }` left the connection waiting for 998 bytes that never came: Twilio saw a
 * hung response, not the documented logged 500. Now every adapter answers 500 with a log line,
 * and a correct content-length still goes out.
 */
import { capturingLogger, signedFormRequest, smsParams } from '@twiml-guard/test-support';
import { CATALOGUE_TOKEN } from '@twiml-guard/test-support/hardening/catalogue';
import { PLATFORMS, type Platform } from '@twiml-guard/test-support/hardening/platforms';

async function answer(platform: Platform, result: unknown) {
  let ran = false;
  const logger = capturingLogger();
  const request = signedFormRequest({ token: CATALOGUE_TOKEN, url: platform.publicUrl, params: smsParams() });
  const response = await platform.deploy(
    () => {
      ran = true;
      return result as string;
    },
    { authToken: CATALOGUE_TOKEN, logger },
  )(request);
  return { response, ran, logger };
}

describe.each(PLATFORMS.map((platform) => [platform.name, platform] as const))('%s', (_name, platform) => {
  test.each([
    ['longer than the body', { headers: { 'content-length': '999' }, body: 'x' }],
    ['shorter than the body', { headers: { 'Content-Length': '1' }, body: '<Response/>' }],
    ['counting characters, not UTF-8 bytes', { headers: { 'content-length': '1' }, body: 'é' }],
    ['on an empty body', { headers: { 'content-length': '5' } }],
  ])('a content-length %s is a logged 500', async (_case, result) => {
    const { response, ran, logger } = await answer(platform, result);
    expect(ran).toBe(true);
    expect(response.status).toBe(500);
    expect(response.body).toBe('Internal Server Error');
    expect(logger.at('error').map((entry) => JSON.stringify(entry))).toEqual([expect.stringMatching(/content-length/)]);
  });

  test('control: the right content-length goes out with the body', async () => {
    const { response } = await answer(platform, { headers: { 'content-length': '13' }, body: '<Response/>é' });
    expect(response.status).toBe(200);
    expect(response.body).toBe('<Response/>é');
  });
});

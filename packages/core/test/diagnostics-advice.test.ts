/** The fix a rejected request's log line names: exact wording, since operators act on it. */
import { createWebhookHandler, type WebhookRequest } from '@twiml-guard/core';
import { capturingLogger, signedFormRequest, smsParams } from '@twiml-guard/test-support';

const TOKEN = 'abcdefabcdefabcdefabcdefabcdef12';

/** Twilio signed `signedUrl`; the function validates `validatedUrl` (its url option). */
async function fixFor(signedUrl: string, validatedUrl: string, token = TOKEN): Promise<unknown> {
  const logger = capturingLogger();
  const handler = jest.fn(() => undefined);
  const handle = createWebhookHandler(handler, { authToken: TOKEN, url: validatedUrl, logger });
  const request: WebhookRequest = signedFormRequest({ token, url: validatedUrl, signedUrl, params: smsParams() });
  expect((await handle(request)).status).toBe(403);
  expect(handler).not.toHaveBeenCalled();
  return logger.at('warn').find((line) => 'status' in line)?.fix;
}

test('Twilio configured with http while the function validates https: change the URL in the Twilio console to https', async () => {
  expect(await fixFor('http://hooks.example.com/sms', 'https://hooks.example.com/sms')).toBe(
    'the signature matches http://hooks.example.com/sms (http instead of https): the webhook URL in the Twilio console is http://; change it in the Twilio console to https://hooks.example.com/sms (https)',
  );
});

test('Twilio calls https while the function sees http (TLS ends at a proxy): set url/baseUrl or trustProxy', async () => {
  expect(await fixFor('https://hooks.example.com/sms', 'http://hooks.example.com/sms')).toBe(
    'the signature matches https://hooks.example.com/sms (https instead of http): Twilio calls https:// but this function sees http:// (TLS ends at a proxy or load balancer); set the url option (or baseUrl) to the https URL, or trustProxy if the proxy sets X-Forwarded-Proto',
  );
});

test('sent to localhost, validated against 127.0.0.1: the log line names both hosts', async () => {
  expect(await fixFor('http://localhost:3000/sms', 'http://127.0.0.1:3000/sms')).toBe(
    'the signature matches http://localhost:3000/sms (with the host "localhost" instead of "127.0.0.1"): the request was signed for the host "localhost" but this function validates "127.0.0.1"; send it to http://127.0.0.1:3000/sms, or set the url option (or baseUrl, PUBLIC_BASE_URL) to use "localhost"',
  );
});

test('sent to 127.0.0.1, validated against localhost: found the other way round too', async () => {
  expect(await fixFor('http://127.0.0.1:7071/api/sms', 'http://localhost:7071/api/sms')).toContain(
    '(with the host "127.0.0.1" instead of "localhost")',
  );
});

test('nothing near matches: the host validated is named', async () => {
  expect(await fixFor('https://hooks.example.com/sms', 'https://hooks.example.com/sms', 'another-token-entirely-0000000000')).toBe(
    'no near-miss URL matched for the host "hooks.example.com": forged request, wrong auth token (sub-accounts sign with their own), a request sent to another host name than "hooks.example.com", or a public URL this function cannot see (custom domain, CDN, API Management): set the url or baseUrl option',
  );
});

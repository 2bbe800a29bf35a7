import { createWebhookHandler } from '@twiml-guard/core';
import { redactUrl } from '@twiml-guard/core/adapter';
import { capturingLogger, signedFormRequest, smsParams } from '@twiml-guard/test-support';

describe('redactUrl (log lines only)', () => {
  test.each([
    ['https://user:pa55@hooks.example.com/sms', 'https://hooks.example.com/sms'],
    ['https://app.azurewebsites.net/api/sms?code=abc123==&x=1', 'https://app.azurewebsites.net/api/sms?code=REDACTED&x=1'],
    ['https://h/p?sig=zz&Key=k&api_key=q&token=t#frag', 'https://h/p?sig=REDACTED&Key=REDACTED&api_key=REDACTED&token=REDACTED#frag'],
    ['https://h/p?codec=h264&keyboard=1', 'https://h/p?codec=h264&keyboard=1'],
    ['https://h/p', 'https://h/p'],
    // A raw `@` in the password: the authority ends at the last `@`, as URL parsers read it.
    ['https://user:p@ss@hooks.example.com/sms', 'https://hooks.example.com/sms'],
    // A percent-encoded key name is the same key to the server that decodes it.
    ['https://h/p?co%64e=abc&%73ig=zz&x=1', 'https://h/p?co%64e=REDACTED&%73ig=REDACTED&x=1'],
  ])('%s', (url, expected) => expect(redactUrl(url)).toBe(expected));
});

test('a rejected request with an Azure function key in its URL logs the URL without the key', async () => {
  const logger = capturingLogger();
  const url = 'https://app.azurewebsites.net/api/sms?code=s3cr3tFunctionKey==';
  const handle = createWebhookHandler(() => undefined, { authToken: '0123456789abcdef0123456789abcdef', logger });
  const response = await handle(signedFormRequest({ token: 'ffffffffffffffffffffffffffffffff', url, params: smsParams() }));
  expect(response.status).toBe(403);
  expect(logger.text()).toContain('code=REDACTED');
  expect(logger.text()).not.toContain('s3cr3tFunctionKey');
});

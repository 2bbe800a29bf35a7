/** HTTP Basic auth as Twilio sends it (a first request without credentials, a retry after the challenge). */
import { basicChallenge, checkBasicAuth } from '@twiml-guard/core';

const options = { username: 'twilio', password: 'pa:ss wörd' };
const header = (text: string, scheme = 'Basic') => ({ authorization: `${scheme} ${Buffer.from(text, 'utf8').toString('base64')}` });

test.each([
  ['right credentials', header('twilio:pa:ss wörd'), 'ok'],
  ['scheme in lower case', header('twilio:pa:ss wörd', 'basic'), 'ok'],
  ['the password holds colons: only the first separates', header('twilio:pa:ss wörd'), 'ok'],
  ['no header', {}, 'missing'],
  ['empty header', { authorization: '' }, 'missing'],
  ['wrong password', header('twilio:pa:ss word'), 'wrong-credentials'],
  ['wrong user', header('Twilio:pa:ss wörd'), 'wrong-credentials'],
  ['empty password', header('twilio:'), 'wrong-credentials'],
  ['no colon', header('twilio'), 'malformed'],
  ['not base64', { authorization: 'Basic ***' }, 'malformed'],
  ['another scheme', { authorization: `Bearer ${Buffer.from('twilio:pa:ss wörd').toString('base64')}` }, 'malformed'],
  ['scheme only', { authorization: 'Basic' }, 'malformed'],
  ['two credentials in one header', { authorization: `${header('twilio:pa:ss wörd').authorization} extra` }, 'malformed'],
])('%s → %s', (_label, headers, outcome) => {
  expect(checkBasicAuth(headers, options)).toBe(outcome);
});

test('several Authorization values: the first is checked', () => {
  expect(checkBasicAuth({ authorization: [header('twilio:pa:ss wörd').authorization, 'Basic xxx'] }, options)).toBe('ok');
});

test('the challenge names the realm (default twilio-webhook) and UTF-8; quotes cannot break out of it', () => {
  expect(basicChallenge(options)).toBe('Basic realm="twilio-webhook", charset="UTF-8"');
  expect(basicChallenge({ ...options, realm: 'my "app"\\' })).toBe('Basic realm="my app", charset="UTF-8"');
});

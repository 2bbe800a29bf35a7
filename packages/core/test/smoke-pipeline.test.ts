import { createWebhookHandler, getExpectedTwilioSignature } from '@twiml-guard/core';

test('pipeline smoke: signed form post reaches handler', async () => {
  const url = 'https://example.com/sms';
  const body = `Body=hi&From=%2B1555&AccountSid=AC${'a'.repeat(32)}`;
  const sig = getExpectedTwilioSignature('tok', url, { Body: 'hi', From: '+1555', AccountSid: `AC${'a'.repeat(32)}` });
  const lines: unknown[] = [];
  const logger = { info: (e: unknown) => lines.push(e), warn: (e: unknown) => lines.push(e), error: (e: unknown) => lines.push(e) };
  const handle = createWebhookHandler((e) => `<Response><Message>${e.params.Body}</Message></Response>`, { authToken: 'tok', logger });
  const ok = await handle({
    method: 'POST',
    url,
    headers: { 'x-twilio-signature': sig, 'content-type': 'application/x-www-form-urlencoded' },
    body,
  });
  expect(ok.status).toBe(200);
  expect(ok.body).toContain('<Message>hi</Message>');
  const bad = await handle({
    method: 'POST',
    url: 'http://example.com/sms',
    headers: { 'x-twilio-signature': sig, 'content-type': 'application/x-www-form-urlencoded' },
    body,
  });
  expect(bad.status).toBe(403);
  expect(JSON.stringify(lines)).toContain('https instead of http');
});

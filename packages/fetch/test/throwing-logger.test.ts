/**
 * A logger that throws (a log sink that is down, a user logger with a bug) never turns a refusal
 * into a rejected promise: the runtime would answer 500 or drop the connection instead.
 */
import { twilioWebhook } from '@twiml-guard/fetch';

const throwingLogger = {
  info: () => undefined,
  warn: () => {
    throw new Error('log sink down');
  },
  error: () => {
    throw new Error('log sink down');
  },
};

test('a body already read before the guard: 500 "Webhook misconfigured", even when logging throws', async () => {
  const handler = twilioWebhook(() => 'ok', { authToken: '0123456789abcdef0123456789abcdef', logger: throwingLogger });
  const request = new Request('https://example.com/sms', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'Body=hi',
  });
  await request.text();
  const response = await handler(request);
  expect(response.status).toBe(500);
  expect(await response.text()).toContain('Webhook misconfigured');
});

test('a body that cannot be read: 400, even when logging throws', async () => {
  const handler = twilioWebhook(() => 'ok', { authToken: '0123456789abcdef0123456789abcdef', logger: throwingLogger });
  const body = new ReadableStream({ pull: (controller) => controller.error(new Error('connection reset')) });
  const request = new Request('https://example.com/sms', { method: 'POST', body, duplex: 'half' } as RequestInit);
  expect((await handler(request)).status).toBe(400);
});

test('an unsigned request: 400, even when logging throws', async () => {
  const handler = twilioWebhook(() => 'ok', { authToken: '0123456789abcdef0123456789abcdef', logger: throwingLogger });
  const request = new Request('https://example.com/sms', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'Body=hi',
  });
  expect((await handler(request)).status).toBe(400);
});

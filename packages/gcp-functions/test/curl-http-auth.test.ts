/**
 * Basic and Digest auth with a client nobody here wrote: curl, against a function served by the real
 * Functions Framework, with the X-Twilio-Signature header Twilio would add (signed by the twilio package).
 */
import { execFile } from 'node:child_process';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import * as functions from '@google-cloud/functions-framework';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import twilio from 'twilio';
import { MessagingResponse, type DigestAlgorithm } from '@twiml-guard/core';
import { twilioWebhook } from '@twiml-guard/gcp-functions';
import { capturingLogger } from '@twiml-guard/test-support';

const run = promisify(execFile);
const TOKEN = '0123456789abcdef0123456789abcdef';
const USER = 'twilio';
const PASSWORD = 'c0rrect horse';
const PARAMS = { AccountSid: 'AC0123456789abcdef0123456789abcdef', From: '+15551234567', To: '+15557654321', Body: 'hello' };
const BODY = new URLSearchParams(PARAMS).toString();
const logger = capturingLogger();

let handled = 0;
const reply = () => {
  handled += 1;
  const twiml = new MessagingResponse();
  twiml.message('authenticated and signed');
  return twiml;
};
let port = 0;
// The public URL is this test server's own: Twilio would call (and sign) exactly this.
const publicUrl = (path: string) => `http://127.0.0.1:${port}${path}`;

const DIGEST_ALGORITHMS: DigestAlgorithm[] = ['MD5', 'SHA-256', 'MD5-sess'];
for (const algorithm of DIGEST_ALGORITHMS) {
  functions.http(
    `digest-${algorithm}`,
    twilioWebhook(reply, {
      authToken: TOKEN,
      url: () => publicUrl('/sms?from=curl'),
      digestAuth: { username: USER, password: PASSWORD, algorithm },
      logger,
    }),
  );
}
functions.http(
  'basic',
  twilioWebhook(reply, {
    authToken: TOKEN,
    url: () => publicUrl('/sms?from=curl'),
    basicAuth: { username: USER, password: PASSWORD },
    logger,
  }),
);

let server: Server | undefined;
async function serve(name: string): Promise<void> {
  await new Promise<void>((resolve) => server?.close(() => resolve()) ?? resolve());
  server = getTestServer(name);
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
}
afterAll(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => server?.close(() => resolve()) ?? resolve());
});
beforeEach(() => {
  handled = 0;
});

async function curl(auth: '--digest' | '--basic', password: string, signatureToken = TOKEN): Promise<{ status: number; body: string }> {
  const url = publicUrl('/sms?from=curl');
  const signature = twilio.getExpectedTwilioSignature(signatureToken, url, PARAMS);
  const { stdout } = await run(
    'curl',
    [
      '-sS',
      auth,
      '-u',
      `${USER}:${password}`,
      '-H',
      `X-Twilio-Signature: ${signature}`,
      '-H',
      'Content-Type: application/x-www-form-urlencoded',
      '--data-binary',
      BODY,
      '-w',
      '\n%{http_code}',
      url,
    ],
    { timeout: 10_000 },
  );
  const lines = stdout.split('\n');
  return { status: Number(lines.pop()), body: lines.join('\n') };
}

describe.each(DIGEST_ALGORITHMS)('curl --digest against Digest %s', (algorithm) => {
  beforeAll(() => serve(`digest-${algorithm}`));

  test('right credentials and signature: 200 TwiML', async () => {
    const response = await curl('--digest', PASSWORD);
    expect(response.status).toBe(200);
    expect(response.body).toContain('<Message>authenticated and signed</Message>');
    expect(handled).toBe(1);
  });

  test('wrong password: 401', async () => {
    expect((await curl('--digest', 'wrong horse')).status).toBe(401);
    expect(handled).toBe(0);
  });

  test('right password, forged signature: 403', async () => {
    expect((await curl('--digest', PASSWORD, 'ffffffffffffffffffffffffffffffff')).status).toBe(403);
    expect(handled).toBe(0);
  });
});

describe('curl --basic against Basic', () => {
  beforeAll(() => serve('basic'));
  test('right credentials and signature: 200 TwiML', async () => {
    const response = await curl('--basic', PASSWORD);
    expect(response.status).toBe(200);
    expect(response.body).toContain('authenticated and signed');
  });
  test('wrong password: 401', async () => expect((await curl('--basic', 'nope')).status).toBe(401));
  test('right password, forged signature: 403', async () =>
    expect((await curl('--basic', PASSWORD, 'ffffffffffffffffffffffffffffffff')).status).toBe(403));
});

test('no password or signature ever reached the logs', () => {
  const text = logger.text();
  expect(text.length).toBeGreaterThan(0);
  expect(text).not.toContain(PASSWORD);
  expect(text).not.toContain('wrong horse');
  expect(text).not.toContain(twilio.getExpectedTwilioSignature(TOKEN, publicUrl('/sms?from=curl'), PARAMS));
});

// Run by no-credentials.test.ts in its own Node process, with default settings: an unhandled rejection
// ends the process with a non-zero status. Uses the BUILT package and the real Secret Manager client,
// whose credentials (GOOGLE_APPLICATION_CREDENTIALS) point at a file that does not exist.
const { twilioWebhook } = require('@twiml-guard/gcp-functions');
const { secretManagerRotation } = require('@twiml-guard/gcp-functions/rotation');

const logged = [];
const logger = { info() {}, warn: (entry) => logged.push(entry.msg), error: (entry) => logged.push(entry.msg) };
const webhook = twilioWebhook(() => '<Response/>', { url: 'https://example.com/sms', logger });

async function send() {
  const response = { statusCode: 0, setHeader() {}, end() {} };
  await webhook(
    {
      method: 'POST',
      url: '/sms',
      headers: {
        host: 'example.com',
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': `${'a'.repeat(27)}=`,
      },
      rawBody: Buffer.from('From=%2B15005550006'),
    },
    response,
  );
  return response.statusCode;
}

async function rotate() {
  // Twilio is never reached: reading the secret fails first.
  const unreachable = async () => {
    throw new Error('Twilio reached without a secret');
  };
  const twilio = { createSecondary: unreachable, promote: unreachable, deleteSecondary: unreachable, authenticates: unreachable };
  const rotation = secretManagerRotation({ logger, twilio });
  const event = { id: 'm1', data: { message: { messageId: 'm1', attributes: { eventType: 'SECRET_ROTATE' } } } };
  return rotation(event).then(
    () => 'resolved',
    (error) => `rejected: ${error.message}`,
  );
}

(async () => {
  const statuses = [await send(), await send()];
  const rotation = await rotate();
  // Rejections nobody handles surface within a few ticks; give them time before reporting.
  await new Promise((resolve) => setTimeout(resolve, 500));
  process.stdout.write(JSON.stringify({ statuses, rotation, logged }));
})();

/**
 * End to end through the real emulator: `serverless offline` (osls 4.3.1 + serverless-offline 14.8.2)
 * runs test/e2e/serverless.yml (a REST `http` and an HTTP API `httpApi` function, bundled by
 * serverless-esbuild from the built package), and Twilio-signed form posts go over HTTP.
 * serverless-offline's REST event has no stage in requestContext.path (AWS has it), so that function
 * gets PUBLIC_BASE_URL = origin + "/dev"; both get the emulator's plain-http origin (AWS serves https),
 * as the README documents.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import twilio from 'twilio';
import { freePort } from '@twiml-guard/test-support/loopback';
import { SMS_FORM } from '@twiml-guard/test-support/platforms/lambda-events';
import { AUTH_TOKEN, OTHER_TOKEN, formParams } from '@twiml-guard/test-support/platforms/lambda-sign';

const root = join(__dirname, '../../..');
const serviceDir = join(__dirname, 'e2e');

function post(url: string, body: string, headers: Record<string, string>): Promise<{ status: number; contentType: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(Buffer.byteLength(body)), ...headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            contentType: String(res.headers['content-type']),
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

let child: ChildProcess | undefined;
let origin: string;
let output = '';

beforeAll(async () => {
  if (!existsSync(join(root, 'packages/aws-lambda/dist/index.cjs')))
    execFileSync(process.execPath, [join(root, 'scripts/build.mjs')], { cwd: root, stdio: 'ignore' });
  const [httpPort, lambdaPort] = [await freePort(), await freePort()];
  origin = `http://127.0.0.1:${httpPort}`;
  child = spawn(
    join(root, 'node_modules/.bin/serverless'),
    ['offline', 'start', '--host', '127.0.0.1', '--httpPort', String(httpPort), '--lambdaPort', String(lambdaPort)],
    {
      cwd: serviceDir,
      detached: true, // its own process group, so afterAll can stop the workers too
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        AWS_ACCESS_KEY_ID: 'x',
        AWS_SECRET_ACCESS_KEY: 'y',
        AWS_REGION: 'us-east-1',
        SLS_TELEMETRY_DISABLED: '1',
        SLS_NOTIFICATIONS_MODE: 'off',
        E2E_TWILIO_AUTH_TOKEN: AUTH_TOKEN,
        E2E_REST_BASE_URL: `${origin}/dev`,
        E2E_HTTP_API_BASE_URL: origin,
      },
    },
  );
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serverless offline not ready within 45 s:\n${output}`)), 45_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
      if (output.includes('Server ready:')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child?.stdout?.on('data', onData);
    child?.stderr?.on('data', onData);
    child?.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serverless offline exited with ${code}:\n${output}`));
    });
  });
}, 60_000);

afterAll(async () => {
  if (!child?.pid || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child?.once('exit', resolve));
  process.kill(-child.pid, 'SIGTERM');
  const timer = setTimeout(() => child?.pid && process.kill(-child.pid, 'SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
});

const params = formParams(SMS_FORM);

describe.each([
  ['REST (http event, payload 1.0)', '/dev/sms', 'rest-v1'],
  ['HTTP API (httpApi event, payload 2.0)', '/sms/v2', 'http-v2'],
])('%s', (_label, path, source) => {
  test('signed form post: TwiML back, params from the raw body', async () => {
    const url = origin + path;
    const response = await post(url, SMS_FORM, { 'X-Twilio-Signature': twilio.getExpectedTwilioSignature(AUTH_TOKEN, url, params) });
    expect(response.status).toBe(200);
    expect(response.contentType).toBe('text/xml; charset=utf-8');
    expect(response.body).toBe(
      `<?xml version="1.0" encoding="UTF-8"?><Response><Message>${source}: Hello world 😀 it's O'Hara</Message></Response>`,
    );
  });

  test('forged signature: 403', async () => {
    const url = origin + path;
    const response = await post(url, SMS_FORM, { 'X-Twilio-Signature': twilio.getExpectedTwilioSignature(OTHER_TOKEN, url, params) });
    expect(response.status).toBe(403);
    expect(response.body).not.toContain('<Response>');
  });

  test('body altered after signing: 403', async () => {
    const url = origin + path;
    const response = await post(url, SMS_FORM.replace('Hello', 'Hellp'), {
      'X-Twilio-Signature': twilio.getExpectedTwilioSignature(AUTH_TOKEN, url, params),
    });
    expect(response.status).toBe(403);
  });

  test('no signature: 400', async () => {
    expect((await post(origin + path, SMS_FORM, {})).status).toBe(400);
  });
});

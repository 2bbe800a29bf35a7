/**
 * What a runtime without Node's globals meets: no `process.stderr` (Workers before 2025-09-15 with
 * nodejs_compat, Vercel Edge) and an environment that denies reads (Deno without --allow-env).
 */
import { createWebhookHandler, envTokens, readEnv, stderrJsonLogger } from '../src/index.js';
import { signedFormRequest, smsParams } from '@twiml-guard/test-support/signed-request';

const realProcess = globalThis.process;

function withProcess<T>(replacement: unknown, run: () => T): T {
  Object.defineProperty(globalThis, 'process', { value: replacement, configurable: true, writable: true });
  try {
    return run();
  } finally {
    Object.defineProperty(globalThis, 'process', { value: realProcess, configurable: true, writable: true });
  }
}

/** Deno's `process.env` without --allow-env: every read throws NotCapable. */
const deniedEnv = new Proxy(
  {},
  {
    get: () => {
      throw Object.assign(new Error('Requires env access to "TWILIO_AUTH_TOKEN", run again with the --allow-env flag'), {
        name: 'NotCapable',
      });
    },
  },
);

test('the logger writes to console when there is no process.stderr, and to console when there is no process', () => {
  const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  try {
    withProcess({ env: {} }, () => stderrJsonLogger.warn({ msg: 'no stderr here' }));
    withProcess(undefined, () => stderrJsonLogger.warn({ msg: 'no process here' }));
    expect(warn.mock.calls.map(([line]) => JSON.parse(line as string))).toEqual([
      { level: 'warn', source: 'twiml-guard', msg: 'no stderr here' },
      { level: 'warn', source: 'twiml-guard', msg: 'no process here' },
    ]);
  } finally {
    warn.mockRestore();
  }
});

test('an environment that denies reads, or no process at all, reads as unset', () => {
  expect(withProcess({ env: deniedEnv }, () => readEnv('TWILIO_AUTH_TOKEN'))).toBeUndefined();
  expect(withProcess(undefined, () => readEnv('TWILIO_AUTH_TOKEN'))).toBeUndefined();
  expect(() => withProcess({ env: deniedEnv }, () => envTokens().getTokens())).toThrow('environment variable TWILIO_AUTH_TOKEN is not set');
});

test('with every option passed, a denied environment changes nothing: signed 200, forged 403', async () => {
  const token = '0123456789abcdef0123456789abcdef';
  const lines: string[] = [];
  const logger = {
    info: () => undefined,
    warn: (entry: { msg: string }) => void lines.push(entry.msg),
    error: (entry: { msg: string }) => void lines.push(entry.msg),
  };
  const handler = createWebhookHandler(() => 'ok', { authToken: token, logger });
  const url = 'https://example.com/sms';
  const signed = signedFormRequest({ token, url, params: smsParams() });
  const forged = signedFormRequest({ token: 'f'.repeat(32), url, params: smsParams() });
  const denied = { env: deniedEnv, stderr: realProcess.stderr };
  Object.defineProperty(globalThis, 'process', { value: denied, configurable: true, writable: true });
  try {
    expect((await handler(signed)).status).toBe(200);
    expect((await handler(forged)).status).toBe(403);
  } finally {
    Object.defineProperty(globalThis, 'process', { value: realProcess, configurable: true, writable: true });
  }
  expect(lines).toEqual(['rejected webhook: signature does not match']);
});

test('a denied environment without a token option: 500 "no auth token configured", not "the url option threw"', async () => {
  const lines: string[] = [];
  const logger = {
    info: () => undefined,
    warn: (entry: { msg: string }) => void lines.push(entry.msg),
    error: (entry: { msg: string }) => void lines.push(entry.msg),
  };
  const handler = createWebhookHandler(() => 'ok', { logger });
  const request = signedFormRequest({ token: '0123456789abcdef0123456789abcdef', url: 'https://example.com/sms', params: smsParams() });
  Object.defineProperty(globalThis, 'process', { value: { env: deniedEnv }, configurable: true, writable: true });
  let status: number;
  try {
    status = (await handler(request)).status;
  } finally {
    Object.defineProperty(globalThis, 'process', { value: realProcess, configurable: true, writable: true });
  }
  expect(status).toBe(500);
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^rejected webhook: no auth token configured \(environment variable TWILIO_AUTH_TOKEN is not set\)/);
});

/**
 * Rotation for Twilio Functions: the environment's variables (through the real `twilio` client's
 * Serverless API) are the store; the twilio-functions webhook reads them from `context` on every
 * execution, as the Runtime does after a variable update.
 */
import { twilioWebhook, type TwilioFunctionContext } from '@twiml-guard/twilio-functions';
import { officialTwilioAuthTokens, finishGrace, rotateTwilioFunctionsToken } from '@twiml-guard/twilio-functions/rotation';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import twilio from 'twilio';
import { invoke, runtimeEvent, smsParams } from '../helpers.js';
import { ACCOUNT_SID, FIRST_TOKEN, collectingLogger, crashesAfterPromote } from '@twiml-guard/test-support/rotation-fixtures';
import { runSignedTraffic } from '@twiml-guard/test-support/signed-traffic';
import {
  fakeTwilioClientOptions,
  startTwilioAccountsFake,
  type TwilioAccountsFake,
} from '@twiml-guard/test-support/fakes/twilio-accounts-fake';

const SERVICE = `ZS${'a'.repeat(32)}`;
const ENVIRONMENT = `ZE${'b'.repeat(32)}`;
const DOMAIN = 'example-1234-dev.twil.io';
const URL = `https://${DOMAIN}/sms`;

let twilioFake: TwilioAccountsFake;

beforeEach(async () => {
  twilioFake = await startTwilioAccountsFake(ACCOUNT_SID, FIRST_TOKEN);
  twilioFake.variables.set('TWILIO_AUTH_TOKEN', { sid: `ZV${'c'.repeat(32)}`, value: FIRST_TOKEN });
  twilioFake.variables.set('GREETING', { sid: `ZV${'d'.repeat(32)}`, value: 'hello' });
});
afterEach(() => twilioFake.close());

const variable = (key: string) => twilioFake.variables.get(key)?.value;

function options(extra: Partial<Parameters<typeof rotateTwilioFunctionsToken>[0]> = {}) {
  return {
    accountSid: ACCOUNT_SID,
    authToken: FIRST_TOKEN,
    serviceSid: SERVICE,
    environmentSid: ENVIRONMENT,
    clientOptions: fakeTwilioClientOptions(twilioFake),
    cacheTtlMs: 0,
    settleMs: 0,
    logger: collectingLogger().logger,
    ...extra,
  };
}

test('rotates through the environment variables; finishGrace drops the old token after the grace period', async () => {
  const outcome = await rotateTwilioFunctionsToken(options());
  expect(outcome.status).toBe('rotated');
  const [, second] = twilioFake.primaries;
  expect(variable('TWILIO_AUTH_TOKEN')).toBe(second);
  expect(variable('TWILIO_AUTH_TOKEN_PENDING')).toBe(`${second},${FIRST_TOKEN}`);
  expect(JSON.parse(variable('TWILIO_AUTH_TOKEN_ROTATION') ?? '{}')).toMatchObject({ phase: 'committed' });
  expect(variable('GREETING')).toBe('hello');

  const finish = {
    accountSid: ACCOUNT_SID,
    authToken: second as string,
    serviceSid: SERVICE,
    environmentSid: ENVIRONMENT,
    clientOptions: fakeTwilioClientOptions(twilioFake),
  };
  expect(await finishGrace(finish)).toBe(false);
  expect(await finishGrace({ ...finish, now: () => Date.now() + 10 * 60_000 })).toBe(true);
  expect(variable('TWILIO_AUTH_TOKEN_PENDING')).toBeUndefined();
  expect(variable('TWILIO_AUTH_TOKEN')).toBe(second);
});

test('a crash between Promote and commit; the rerun (given the token that is now primary) ends consistent', async () => {
  const dying = crashesAfterPromote(officialTwilioAuthTokens({ clientOptions: fakeTwilioClientOptions(twilioFake) }));
  await expect(rotateTwilioFunctionsToken(options({ twilio: dying }))).rejects.toThrow('process killed');
  expect(variable('TWILIO_AUTH_TOKEN')).toBe(FIRST_TOKEN);
  expect(variable('TWILIO_AUTH_TOKEN_PENDING')).toBe(twilioFake.primary);

  // The old token no longer authenticates REST calls; an API key would. Here the operator passes the new one.
  const outcome = await rotateTwilioFunctionsToken(options({ authToken: twilioFake.primary }));
  expect(outcome).toMatchObject({ status: 'rotated', startedAt: 'promoted' });
  expect(variable('TWILIO_AUTH_TOKEN')).toBe(twilioFake.primary);
  expect(twilioFake.primaries).toHaveLength(2);
});

test('signed traffic through the twilio-functions webhook during two rotations: 0 legitimate refused, 0 forged accepted', async () => {
  const webhook = twilioWebhook(() => '<Response/>', { logger: collectingLogger().logger });
  // The Runtime hands each execution the environment's variables as they are at that moment.
  const context = (): TwilioFunctionContext => ({
    DOMAIN_NAME: DOMAIN,
    PATH: '/sms',
    ACCOUNT_SID,
    ...Object.fromEntries([...twilioFake.variables].map(([key, entry]) => [key, entry.value])),
  });
  const params = smsParams();
  const tally = await runSignedTraffic({
    twilio: twilioFake,
    minimumLegitimate: 1_500,
    workers: 3,
    sign: (token, forgedUrl) => twilio.getExpectedTwilioSignature(token, forgedUrl ? `${URL}?forged=1` : URL, params),
    send: async (_n, signature) =>
      (await invoke(webhook, context(), runtimeEvent(params, { 'x-twilio-signature': signature }))).response.statusCode,
    rotate: async () => {
      await rotateTwilioFunctionsToken(options({ cacheTtlMs: 30 }));
      await rotateTwilioFunctionsToken(options({ authToken: twilioFake.primary, cacheTtlMs: 30 }));
    },
  });
  expect(twilioFake.primaries).toHaveLength(3);
  expect({ refused: tally.legitimateRefused, accepted: tally.forgedAccepted }).toEqual({ refused: 0, accepted: 0 });
  expect(tally.legitimate).toBeGreaterThanOrEqual(1_500);
  expect(tally.forged).toBeGreaterThan(100);
});

test('waitForGrace: the old token stays accepted for the grace period, then is removed', async () => {
  const sleeps: number[] = [];
  const pendingDuringGrace: (string | undefined)[] = [];
  await rotateTwilioFunctionsToken(
    options({
      previousGraceMs: 120_000,
      waitForGrace: true,
      sleep: async (ms) => {
        sleeps.push(ms);
        pendingDuringGrace.push(variable('TWILIO_AUTH_TOKEN_PENDING'));
      },
    }),
  );
  expect(sleeps).toEqual([120_000]);
  expect(pendingDuringGrace).toEqual([`${twilioFake.primary},${FIRST_TOKEN}`]);
  expect(variable('TWILIO_AUTH_TOKEN_PENDING')).toBeUndefined();
  expect(variable('TWILIO_AUTH_TOKEN')).toBe(twilioFake.primary);
});

test('the script checks its arguments and environment before touching anything', () => {
  const script = join(__dirname, '../../../../scripts/rotate-twilio-functions.mjs');
  const env = { PATH: process.env.PATH ?? '', TWILIO_ACCOUNT_SID: ACCOUNT_SID, TWILIO_AUTH_TOKEN: FIRST_TOKEN };
  const help = spawnSync(process.execPath, [script, '--help'], { env, encoding: 'utf8' });
  expect(help.status).toBe(0);
  expect(help.stdout).toContain('--service ZS…');
  const badService = spawnSync(process.execPath, [script, '--service', 'nope', '--environment', ENVIRONMENT], { env, encoding: 'utf8' });
  expect(badService.status).toBe(2);
  expect(badService.stderr).toContain('--service must be a Functions service SID');
  const noToken = spawnSync(process.execPath, [script, '--service', SERVICE, '--environment', ENVIRONMENT], {
    env: { PATH: env.PATH, TWILIO_ACCOUNT_SID: ACCOUNT_SID },
    encoding: 'utf8',
  });
  expect(noToken.status).toBe(2);
  expect(noToken.stderr).toContain('TWILIO_AUTH_TOKEN must be set');
  expect(twilioFake.calls).toEqual([]);
});

/**
 * Attack on the Twilio Functions lock: a run whose createSecondary answer arrives after its lock's lease
 * ran out. Another run takes the expired lock over and rotates (deleting the slow run's secondary). The
 * slow run must then stop before it writes anything: writing its pending record and variable would name
 * a deleted token pending and the replaced token current, so every later run stops with "Twilio refuses
 * both tokens" and needs a person.
 */
import { officialTwilioAuthTokens, rotateTwilioFunctionsToken } from '@twiml-guard/twilio-functions/rotation';
import { ACCOUNT_SID, FIRST_TOKEN, collectingLogger, lateCreateSecondaryAnswer } from '@twiml-guard/test-support/rotation-fixtures';
import {
  fakeTwilioClientOptions,
  startTwilioAccountsFake,
  type TwilioAccountsFake,
} from '@twiml-guard/test-support/fakes/twilio-accounts-fake';

const SERVICE = `ZS${'a'.repeat(32)}`;
const ENVIRONMENT = `ZE${'b'.repeat(32)}`;
let twilioFake: TwilioAccountsFake;

beforeEach(async () => {
  twilioFake = await startTwilioAccountsFake(ACCOUNT_SID, FIRST_TOKEN);
  twilioFake.variables.set('TWILIO_AUTH_TOKEN', { sid: `ZV${'c'.repeat(32)}`, value: FIRST_TOKEN });
  twilioFake.checkFunctionsInvariant = true;
});
afterEach(() => twilioFake.close());

const variable = (key: string) => twilioFake.variables.get(key)?.value;

test('a run slower than its lock lease stops without writing over the rotation that took the lock over', async () => {
  let clock = Date.now();
  const real = officialTwilioAuthTokens({ clientOptions: fakeTwilioClientOptions(twilioFake) });
  const { twilio: slowTwilio, created, answer: answerArrives } = lateCreateSecondaryAnswer(real);
  const common = {
    accountSid: ACCOUNT_SID,
    authToken: FIRST_TOKEN,
    serviceSid: SERVICE,
    environmentSid: ENVIRONMENT,
    apiKey: twilioFake.apiKey,
    clientOptions: fakeTwilioClientOptions(twilioFake),
    cacheTtlMs: 60_000,
    settleMs: 0,
    previousGraceMs: 5 * 60_000,
    leaseMs: 60_000,
    now: () => clock,
    sleep: async (ms: number) => void (clock += ms),
  };
  const slowLogs = collectingLogger();
  const slow = rotateTwilioFunctionsToken({ ...common, twilio: slowTwilio, logger: slowLogs.logger }).then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  await created;
  clock += 61_000;

  // The operator (or a scheduler) runs it again: the expired lock is taken over and the rotation finishes.
  expect(await rotateTwilioFunctionsToken({ ...common, waitForGrace: true, logger: collectingLogger().logger })).toMatchObject({
    status: 'rotated',
  });
  const promoted = twilioFake.primary;
  const record = variable('TWILIO_AUTH_TOKEN_ROTATION');
  expect(JSON.parse(record ?? '{}')).toMatchObject({ phase: 'done', current: promoted });

  answerArrives();
  expect(await slow).toHaveProperty('error');
  expect(twilioFake.primaries).toEqual([FIRST_TOKEN, promoted]);
  expect(variable('TWILIO_AUTH_TOKEN_ROTATION')).toBe(record);
  expect(variable('TWILIO_AUTH_TOKEN')).toBe(promoted);
  expect(variable('TWILIO_AUTH_TOKEN_PENDING')).toBeUndefined();
  expect(variable('TWILIO_AUTH_TOKEN_ROTATION_LOCK')).toBeUndefined();
  expect(twilioFake.functionsViolations).toEqual([]);

  // The next requested rotation (away from the promoted token) still works.
  expect(
    await rotateTwilioFunctionsToken({ ...common, authToken: promoted, waitForGrace: true, logger: collectingLogger().logger }),
  ).toMatchObject({ status: 'rotated' });
  expect(twilioFake.primaries).toHaveLength(3);
  expect(JSON.stringify(slowLogs.entries)).not.toContain(promoted);
});

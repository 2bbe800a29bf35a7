/**
 * Attacks on the Twilio Functions store that held: a lock variable that is not JSON (edited by hand, or
 * from another tool) is taken over at once instead of blocking every run; a write-ahead record that is
 * not JSON is treated as no record, and the rotation still keeps Twilio's primary among the tokens the
 * variables hold after every change.
 */
import { rotateTwilioFunctionsToken } from '@twiml-guard/twilio-functions/rotation';
import { ACCOUNT_SID, FIRST_TOKEN, collectingLogger } from '@twiml-guard/test-support/rotation-fixtures';
import {
  fakeTwilioClientOptions,
  startTwilioAccountsFake,
  type TwilioAccountsFake,
} from '@twiml-guard/test-support/fakes/twilio-accounts-fake';

let twilioFake: TwilioAccountsFake;
beforeEach(async () => {
  twilioFake = await startTwilioAccountsFake(ACCOUNT_SID, FIRST_TOKEN);
  twilioFake.variables.set('TWILIO_AUTH_TOKEN', { sid: `ZV${'c'.repeat(32)}`, value: FIRST_TOKEN });
  twilioFake.checkFunctionsInvariant = true;
});
afterEach(() => twilioFake.close());

test.each([
  ['TWILIO_AUTH_TOKEN_ROTATION_LOCK', 'locked by hand'],
  ['TWILIO_AUTH_TOKEN_ROTATION', '{"phase":'],
  ['TWILIO_AUTH_TOKEN_ROTATION', '"done"'],
])('%s = %j: one rotation, the primary always stored', async (key, value) => {
  twilioFake.variables.set(key, { sid: `ZV${'e'.repeat(32)}`, value });
  const { logger, entries } = collectingLogger();
  const outcome = await rotateTwilioFunctionsToken({
    accountSid: ACCOUNT_SID,
    authToken: FIRST_TOKEN,
    serviceSid: `ZS${'a'.repeat(32)}`,
    environmentSid: `ZE${'b'.repeat(32)}`,
    apiKey: twilioFake.apiKey,
    clientOptions: fakeTwilioClientOptions(twilioFake),
    cacheTtlMs: 0,
    settleMs: 0,
    previousGraceMs: 0,
    waitForGrace: true,
    logger,
  });
  expect(outcome).toMatchObject({ status: 'rotated' });
  expect(twilioFake.primaries).toHaveLength(2);
  expect(twilioFake.variables.get('TWILIO_AUTH_TOKEN')?.value).toBe(twilioFake.primary);
  expect(twilioFake.variables.has('TWILIO_AUTH_TOKEN_ROTATION_LOCK')).toBe(false);
  expect(twilioFake.functionsViolations).toEqual([]);
  expect(JSON.stringify(entries)).not.toContain(twilioFake.primary);
  expect(JSON.stringify(entries)).not.toContain(FIRST_TOKEN);
});

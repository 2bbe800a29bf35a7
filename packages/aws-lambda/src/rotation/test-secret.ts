/** Step 3, testSecret: Twilio accepts the new token and refuses the old one (asked again for a while, then retried). */
import { verifyPromotion } from '@twiml-guard/core/rotation';
import { pendingVersionTokens } from './pending-version-tokens.js';
import type { RotationStepContext } from './rotation-step-context.js';
import type { SecretsManagerRotationEvent } from './secrets-manager-event.js';

export async function testSecret(context: RotationStepContext, event: SecretsManagerRotationEvent): Promise<void> {
  const { versions, twilio, logger, timing } = context;
  const { secretId, accountSid, tokens } = await pendingVersionTokens(versions, event);
  await verifyPromotion(tokens, twilio, timing);
  logger.info({ msg: 'testSecret: Twilio accepts the new token and refuses the old one', secretId, accountSid });
}

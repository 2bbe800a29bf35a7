/** The Twilio Functions adapter's name in log lines; the token comes from the invocation's context (token-source.ts). */
import type { PlatformDefaults } from '@twiml-guard/core';

export const TWILIO_FUNCTIONS_PLATFORM: PlatformDefaults = {
  name: 'twilio-functions',
  tokenHelp:
    'turn on "Add my Twilio Credentials (ACCOUNT_SID) and (AUTH_TOKEN) to ENV" in the service settings, or set the variable named by authTokenEnv',
};

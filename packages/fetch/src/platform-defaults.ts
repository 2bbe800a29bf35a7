/** The fetch adapter's name in log lines. No secret store of its own: the token comes from the options, else `TWILIO_AUTH_TOKEN`. */
import type { PlatformDefaults } from '@twiml-guard/core';

export const FETCH_PLATFORM: PlatformDefaults = { name: 'fetch' };

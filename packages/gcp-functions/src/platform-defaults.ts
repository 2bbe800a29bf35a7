/** The GCP adapter's name in log lines and its default token store, read from the environment on first use. */
import type { PlatformDefaults, TokenSource } from '@twiml-guard/core';
import { secretManagerTokens } from './token-source.js';

export const SECRET_RESOURCE_VARIABLE = 'TWILIO_AUTH_TOKEN_SECRET';

export function defaultSecretManagerSource(env: NodeJS.ProcessEnv = process.env): TokenSource | undefined {
  const name = env[SECRET_RESOURCE_VARIABLE];
  return name ? secretManagerTokens({ name }) : undefined;
}

export const gcpPlatformDefaults: PlatformDefaults = {
  name: 'gcp-functions',
  defaultTokenSource: () => defaultSecretManagerSource(),
  tokenHelp: `set ${SECRET_RESOURCE_VARIABLE}=projects/PROJECT/secrets/SECRET (the runtime service account needs roles/secretmanager.secretAccessor), or mount the secret as the TWILIO_AUTH_TOKEN environment variable`,
};

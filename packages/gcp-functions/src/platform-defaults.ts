/** The GCP adapter's name in log lines and its default token store, read from the environment on first use. */
import type { PlatformDefaults, TokenSource } from '@twiml-guard/core';
import { secretManagerTokens } from './token-source.js';

/** The environment variable naming the Secret Manager secret (`projects/P/secrets/S`) that holds the auth token. */
export const SECRET_RESOURCE_VARIABLE = 'TWILIO_AUTH_TOKEN_SECRET';

/**
 * The Secret Manager token source the environment describes, when it names a secret.
 * @param env - the environment to read
 * @returns a `secretManagerTokens` source, or `undefined` to fall back to `TWILIO_AUTH_TOKEN`
 */
export function defaultSecretManagerSource(env: NodeJS.ProcessEnv = process.env): TokenSource | undefined {
  const name = env[SECRET_RESOURCE_VARIABLE];
  return name ? secretManagerTokens({ name }) : undefined;
}

/** The GCP adapter's name, default token source and token help, for the core. */
export const gcpPlatformDefaults: PlatformDefaults = {
  name: 'gcp-functions',
  defaultTokenSource: () => defaultSecretManagerSource(),
  tokenHelp: `set ${SECRET_RESOURCE_VARIABLE}=projects/PROJECT/secrets/SECRET (the runtime service account needs roles/secretmanager.secretAccessor), or mount the secret as the TWILIO_AUTH_TOKEN environment variable`,
};

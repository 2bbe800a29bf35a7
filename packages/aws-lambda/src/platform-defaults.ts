/** The Lambda adapter's name in log lines and what Lambda functions use when no `authToken` option is given. */
import type { PlatformDefaults, TokenSource } from '@twiml-guard/core';
import { secretsManagerTokens } from './tokens/secrets-manager.js';

/** Read on the first request, never at import. */
export function awsDefaultTokenSource(): TokenSource | undefined {
  const secretId = process.env.TWILIO_AUTH_TOKEN_SECRET_ID;
  return secretId ? secretsManagerTokens({ secretId }) : undefined;
}

export const AWS_LAMBDA_PLATFORM: PlatformDefaults = {
  name: 'aws-lambda',
  defaultTokenSource: awsDefaultTokenSource,
  tokenHelp: 'set TWILIO_AUTH_TOKEN_SECRET_ID to a Secrets Manager secret holding the token (or {"accountSid","authToken"} JSON)',
};

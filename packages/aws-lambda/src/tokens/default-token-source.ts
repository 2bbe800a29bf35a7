/** What Lambda functions use when no `authToken` option is given. Read on the first request, never at import. */
import type { PlatformDefaults, TokenSource } from '@twiml-guard/core';
import { secretsManagerTokens } from './secrets-manager.js';

export function awsDefaultTokenSource(): TokenSource | undefined {
  const secretId = process.env.TWILIO_AUTH_TOKEN_SECRET_ID;
  return secretId ? secretsManagerTokens({ secretId }) : undefined;
}

export const AWS_LAMBDA_PLATFORM: PlatformDefaults = {
  name: 'aws-lambda',
  defaultTokenSource: awsDefaultTokenSource,
  tokenHelp: 'set TWILIO_AUTH_TOKEN_SECRET_ID to a Secrets Manager secret holding the token (or {"accountSid","authToken"} JSON)',
};

// The Secrets Manager rotation Lambda, deployed only with --param="rotation=true" (serverless.yml).
// It imports the twilio package (npm install twilio); the webhook never does.
import { secretsManagerRotation } from '@twiml-guard/aws-lambda/rotation';

export const handler = secretsManagerRotation();

// The Secrets Manager rotation Lambda infra/aws deploys (handler "rotation.handler").
import { secretsManagerRotation } from '@twiml-guard/aws-lambda/rotation';

export const handler = secretsManagerRotation();

/**
 * CDK entry point. Everything comes from context (-c key=value or cdk.json); README.md lists the keys:
 *   twilioAccountSid (required), webhookCodePath + rotationCodePath (required: built bundle directory
 *   or .zip), api = http | rest, webhookPath, stageName, domainName + certificateArn [+ basePath]
 *   (REST custom domain), webhookHandler, rotateEveryDays, stackName, usePlaceholderCode.
 */
import { App, Duration } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { TwilioWebhookStack } from '../lib/twilio-webhook-stack.js';

const app = new App();
const context = (key: string): string | undefined => {
  const value: unknown = app.node.tryGetContext(key);
  return value === undefined || value === '' ? undefined : String(value);
};

const api = context('api') ?? 'http';
if (api !== 'http' && api !== 'rest') throw new Error(`context api must be "http" or "rest", got "${api}"`);
const domainName = context('domainName');
const certificateArn = context('certificateArn');
if (domainName && !certificateArn) throw new Error('context certificateArn is required with domainName');
const webhookCodePath = context('webhookCodePath');
const rotationCodePath = context('rotationCodePath');
// Without real code the stack deploys a webhook that answers 503 to every call: refuse, unless asked for by name.
if ((!webhookCodePath || !rotationCodePath) && context('usePlaceholderCode') !== 'true') {
  throw new Error(
    'context webhookCodePath and rotationCodePath are required (npm run build && npm run package:infra, then -c webhookCodePath=../../../dist/sms-auto-reply.zip -c rotationCodePath=../../../dist/rotation.zip); ' +
      'to synthesise with placeholder functions that answer 503, pass -c usePlaceholderCode=true',
  );
}
const rotateEveryDays = context('rotateEveryDays');

new TwilioWebhookStack(app, context('stackName') ?? 'TwimlGuardWebhook', {
  api,
  twilioAccountSid: context('twilioAccountSid') ?? '',
  webhookPath: context('webhookPath'),
  stageName: context('stageName'),
  webhookHandler: context('webhookHandler'),
  webhookCode: webhookCodePath ? lambda.Code.fromAsset(webhookCodePath) : undefined,
  rotationCode: rotationCodePath ? lambda.Code.fromAsset(rotationCodePath) : undefined,
  customDomain: domainName && certificateArn ? { domainName, certificateArn, basePath: context('basePath') } : undefined,
  rotateEvery: rotateEveryDays ? Duration.days(Number(rotateEveryDays)) : undefined,
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});

app.synth();

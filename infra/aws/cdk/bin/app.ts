/**
 * CDK entry point. Everything comes from context (-c key=value or cdk.json):
 *   twilioAccountSid (required), api = http | rest, webhookPath, stageName,
 *   domainName + certificateArn [+ basePath] (REST custom domain),
 *   webhookCodePath / rotationCodePath (built bundle directory or .zip; placeholders otherwise),
 *   webhookHandler, stackName.
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
  env: { account: process.env['CDK_DEFAULT_ACCOUNT'], region: process.env['CDK_DEFAULT_REGION'] },
});

app.synth();

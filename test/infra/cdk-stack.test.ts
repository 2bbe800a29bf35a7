/**
 * The CDK app's stack (infra/aws/cdk/lib/twilio-webhook-stack.ts) checked with aws-cdk-lib/assertions:
 * resources, runtime, the env contract and least-privilege IAM, for the HTTP API, the REST API and
 * the REST API behind a custom domain.
 */
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { TwilioWebhookStack, type TwilioWebhookStackProps } from '../../infra/aws/cdk/lib/twilio-webhook-stack.js';

const twilioAccountSid = `AC${'a'.repeat(32)}`;
const env = { account: '123456789012', region: 'eu-west-1' };

function synth(props: Omit<TwilioWebhookStackProps, 'twilioAccountSid'>): Template {
  const app = new App();
  return Template.fromStack(new TwilioWebhookStack(app, 'Webhook', { twilioAccountSid, env, ...props }));
}

function onlyLogicalId(template: Template, type: string, props: Record<string, unknown> = {}): string {
  const ids = Object.keys(template.findResources(type, props));
  expect(ids).toHaveLength(1);
  return ids[0]!;
}

interface PolicyStatement {
  Action: string | string[];
  Resource: unknown;
}

/** Statements of every AWS::IAM::Policy attached to the given role. */
function statementsForRole(template: Template, roleLogicalId: string): PolicyStatement[] {
  const policies = template.findResources('AWS::IAM::Policy', {
    Properties: { Roles: Match.arrayWith([{ Ref: roleLogicalId }]) },
  });
  return Object.values(policies).flatMap(
    (policy) => (policy as { Properties: { PolicyDocument: { Statement: PolicyStatement[] } } }).Properties.PolicyDocument.Statement,
  );
}

const actions = (statement: PolicyStatement) => [statement.Action].flat().sort();

describe.each(['http', 'rest'] as const)('%s API stack', (api) => {
  let template: Template;
  let secretId: string;
  beforeAll(() => {
    template = synth({ api });
    secretId = onlyLogicalId(template, 'AWS::SecretsManager::Secret');
  });

  it('creates exactly two functions, both on nodejs22.x, the rotation one with handler rotation.handler', () => {
    template.resourceCountIs('AWS::Lambda::Function', 2);
    template.allResourcesProperties('AWS::Lambda::Function', { Runtime: 'nodejs22.x' });
    onlyLogicalId(template, 'AWS::Lambda::Function', { Properties: { Handler: 'rotation.handler' } });
  });

  it('passes TWILIO_AUTH_TOKEN_SECRET_ID (the secret ARN) and PUBLIC_BASE_URL to the webhook', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'index.handler',
      Environment: { Variables: { TWILIO_AUTH_TOKEN_SECRET_ID: { Ref: secretId }, PUBLIC_BASE_URL: Match.anyValue() } },
    });
  });

  it('lets the webhook role call only secretsmanager:GetSecretValue, only on the secret ARN', () => {
    const webhookFunction = template.findResources('AWS::Lambda::Function', { Properties: { Handler: 'index.handler' } });
    const roleId = (Object.values(webhookFunction)[0] as { Properties: { Role: { 'Fn::GetAtt': [string, string] } } }).Properties.Role[
      'Fn::GetAtt'
    ][0];
    const secretStatements = statementsForRole(template, roleId).filter((s) =>
      actions(s).some((action) => action.startsWith('secretsmanager:')),
    );
    expect(secretStatements).toEqual([expect.objectContaining({ Action: 'secretsmanager:GetSecretValue', Resource: { Ref: secretId } })]);
    const everyAction = statementsForRole(template, roleId).flatMap(actions);
    expect(everyAction.sort()).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents', 'secretsmanager:GetSecretValue']);
  });

  it('gives the rotation role exactly the four rotation calls on the secret ARN', () => {
    const rotationFunction = template.findResources('AWS::Lambda::Function', { Properties: { Handler: 'rotation.handler' } });
    const roleId = (Object.values(rotationFunction)[0] as { Properties: { Role: { 'Fn::GetAtt': [string, string] } } }).Properties.Role[
      'Fn::GetAtt'
    ][0];
    const secretStatements = statementsForRole(template, roleId).filter((s) =>
      actions(s).some((action) => action.startsWith('secretsmanager:')),
    );
    expect(secretStatements).toHaveLength(1);
    expect(actions(secretStatements[0]!)).toEqual([
      'secretsmanager:DescribeSecret',
      'secretsmanager:GetSecretValue',
      'secretsmanager:PutSecretValue',
      'secretsmanager:UpdateSecretVersionStage',
    ]);
    expect(secretStatements[0]!.Resource).toEqual({ Ref: secretId });
  });

  it('attaches no managed policy and no wildcard resource to any role', () => {
    for (const role of Object.values(template.findResources('AWS::IAM::Role'))) {
      expect((role as { Properties: Record<string, unknown> }).Properties.ManagedPolicyArns).toBeUndefined();
    }
    for (const policy of Object.values(template.findResources('AWS::IAM::Policy'))) {
      const statements = (policy as { Properties: { PolicyDocument: { Statement: PolicyStatement[] } } }).Properties.PolicyDocument
        .Statement;
      for (const statement of statements) expect(statement.Resource).not.toBe('*');
    }
  });

  it('rotates the secret on a schedule through the rotation function, invocable by Secrets Manager for that secret only', () => {
    const rotationFunctionId = onlyLogicalId(template, 'AWS::Lambda::Function', { Properties: { Handler: 'rotation.handler' } });
    template.hasResourceProperties('AWS::SecretsManager::RotationSchedule', {
      SecretId: { Ref: secretId },
      RotationLambdaARN: { 'Fn::GetAtt': [rotationFunctionId, 'Arn'] },
      RotateImmediatelyOnUpdate: false,
      RotationRules: { ScheduleExpression: 'rate(30 days)' },
    });
    template.hasResourceProperties('AWS::Lambda::Permission', {
      FunctionName: { 'Fn::GetAtt': [rotationFunctionId, 'Arn'] },
      Principal: 'secretsmanager.amazonaws.com',
      SourceArn: { Ref: secretId },
    });
  });

  it('keeps the secret when the stack is deleted', () => {
    template.hasResource('AWS::SecretsManager::Secret', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });
});

describe('API front doors', () => {
  it('HTTP API: one POST /sms route to the webhook through a proxy integration', () => {
    const template = synth({ api: 'http' });
    template.resourceCountIs('AWS::ApiGatewayV2::Api', 1);
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: 'POST /sms' });
    template.hasResourceProperties('AWS::ApiGatewayV2::Integration', { IntegrationType: 'AWS_PROXY', PayloadFormatVersion: '2.0' });
    template.resourceCountIs('AWS::ApiGateway::RestApi', 0);
  });

  it('REST API: the named stage, no custom domain unless asked', () => {
    const template = synth({ api: 'rest', stageName: 'prod' });
    template.hasResourceProperties('AWS::ApiGateway::Stage', { StageName: 'prod' });
    template.hasResourceProperties('AWS::ApiGateway::Method', { HttpMethod: 'POST', Integration: { Type: 'AWS_PROXY' } });
    template.resourceCountIs('AWS::ApiGateway::DomainName', 0);
    template.resourceCountIs('AWS::ApiGateway::BasePathMapping', 0);
    const restApiId = onlyLogicalId(template, 'AWS::ApiGateway::RestApi');
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: {
          PUBLIC_BASE_URL: {
            'Fn::Join': ['', ['https://', { Ref: restApiId }, '.execute-api.eu-west-1.', { Ref: 'AWS::URLSuffix' }, '/prod']],
          },
        },
      },
    });
  });

  it('REST API + custom domain: domain, base-path mapping and PUBLIC_BASE_URL = https://domain/basePath', () => {
    const template = synth({
      api: 'rest',
      customDomain: {
        domainName: 'api.example.com',
        certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-3333-4444-555555555555',
        basePath: 'v1',
      },
    });
    template.hasResourceProperties('AWS::ApiGateway::DomainName', {
      DomainName: 'api.example.com',
      EndpointConfiguration: { Types: ['REGIONAL'] },
      SecurityPolicy: 'TLS_1_2',
    });
    template.hasResourceProperties('AWS::ApiGateway::BasePathMapping', { BasePath: 'v1' });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { PUBLIC_BASE_URL: 'https://api.example.com/v1' } },
    });
  });

  it('refuses an AccountSid that is not AC + 32 hex characters', () => {
    expect(() => synth({ api: 'http', twilioAccountSid: 'ACnope' } as TwilioWebhookStackProps)).toThrow(/twilioAccountSid/);
  });
});

describe('outputs the deploy guide reads', () => {
  it('names the secret, the webhook URL and the webhook log group', () => {
    const template = synth({ api: 'http' });
    const outputs = template.findOutputs('*');
    expect(Object.keys(outputs).sort()).toEqual(['SecretArn', 'WebhookLogGroupName', 'WebhookUrl']);
    expect(outputs.SecretArn!.Value).toEqual({ Ref: onlyLogicalId(template, 'AWS::SecretsManager::Secret') });
    const webhookFunction = onlyLogicalId(template, 'AWS::Lambda::Function', { Properties: { Handler: 'index.handler' } });
    const logGroup = template.findResources('AWS::Lambda::Function')[webhookFunction]!.Properties.LoggingConfig.LogGroup as unknown;
    expect(outputs.WebhookLogGroupName!.Value).toEqual(logGroup);
  });
});

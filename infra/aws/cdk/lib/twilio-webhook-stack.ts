/**
 * The twiml-guard webhook on AWS: a Lambda behind an HTTP API or a REST API (stage, optional custom
 * domain with a base-path mapping), the Twilio auth token in Secrets Manager, a rotation Lambda on a
 * schedule, and IAM that lets each function touch that one secret and nothing else.
 * Mirrors infra/aws/cloudformation/{http-api,rest-api}.yaml.
 */
import { Duration, Stack, type StackProps, CfnOutput, RemovalPolicy } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { join } from 'node:path';

export interface CustomDomainProps {
  /** e.g. api.example.com; point DNS at the CustomDomainTarget output. */
  readonly domainName: string;
  /** Regional ACM certificate in the stack's region. */
  readonly certificateArn: string;
  /** e.g. v1; omitted maps the domain root. */
  readonly basePath?: string;
}

export interface TwilioWebhookStackProps extends StackProps {
  readonly api: 'http' | 'rest';
  /** Account whose token the secret holds; the token itself never enters the template. */
  readonly twilioAccountSid: string;
  readonly webhookCode?: lambda.Code;
  readonly webhookHandler?: string;
  readonly rotationCode?: lambda.Code;
  /** One path segment, without slashes. */
  readonly webhookPath?: string;
  /** REST API only. */
  readonly stageName?: string;
  /** REST API only. */
  readonly customDomain?: CustomDomainProps;
  readonly rotateEvery?: Duration;
}

// Resolves from lib/ (ts sources) and from .build/ (the bundled app): both sit one level below the app dir.
const placeholderDir = join(__dirname, '..', 'placeholder');

export class TwilioWebhookStack extends Stack {
  readonly secret: secretsmanager.Secret;
  readonly webhookFunction: lambda.Function;
  readonly rotationFunction: lambda.Function;

  constructor(scope: Construct, id: string, props: TwilioWebhookStackProps) {
    super(scope, id, props);
    if (!/^AC[0-9a-fA-F]{32}$/.test(props.twilioAccountSid)) {
      throw new Error(`twilioAccountSid must look like AC + 32 hex characters, got "${props.twilioAccountSid}"`);
    }
    if (props.api === 'http' && props.customDomain) {
      throw new Error('customDomain is implemented for the REST API; for an HTTP API set PUBLIC_BASE_URL yourself');
    }
    const webhookPath = props.webhookPath ?? 'sms';
    const stageName = props.stageName ?? 'v1';

    // Starts as {"accountSid", "authToken": random placeholder}; put the real token after the first deploy.
    this.secret = new secretsmanager.Secret(this, 'TwilioAuthTokenSecret', {
      secretName: `twilio/auth-token/${props.twilioAccountSid}`,
      description: 'Twilio auth token (JSON {accountSid, authToken}) read by the webhook, rotated by the rotation Lambda.',
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ accountSid: props.twilioAccountSid }),
        generateStringKey: 'authToken',
        passwordLength: 32,
        excludePunctuation: true,
      },
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const webhookLogGroup = new logs.LogGroup(this, 'WebhookLogGroup', {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const rotationLogGroup = new logs.LogGroup(this, 'RotationLogGroup', {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    // Own roles instead of the default ones: no AWSLambdaBasicExecutionRole (logs:* on every group).
    const webhookRole = new iam.Role(this, 'WebhookRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    webhookRole.addToPolicy(new iam.PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [this.secret.secretArn] }));
    webhookLogGroup.grantWrite(webhookRole);

    const rotationRole = new iam.Role(this, 'RotationRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    rotationRole.addToPolicy(
      new iam.PolicyStatement({
        actions: [
          'secretsmanager:DescribeSecret',
          'secretsmanager:GetSecretValue',
          'secretsmanager:PutSecretValue',
          'secretsmanager:UpdateSecretVersionStage',
        ],
        resources: [this.secret.secretArn],
      }),
    );
    rotationLogGroup.grantWrite(rotationRole);

    this.webhookFunction = new lambda.Function(this, 'WebhookFunction', {
      description: 'Answers Twilio webhooks with TwiML; refuses unsigned requests.',
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      handler: props.webhookHandler ?? 'index.handler',
      code: props.webhookCode ?? lambda.Code.fromAsset(join(placeholderDir, 'webhook')),
      memorySize: 512,
      timeout: Duration.seconds(10),
      role: webhookRole,
      logGroup: webhookLogGroup,
      environment: { TWILIO_AUTH_TOKEN_SECRET_ID: this.secret.secretArn },
    });

    this.rotationFunction = new lambda.Function(this, 'RotationFunction', {
      description: 'Rotates the Twilio auth token (secondary token, promote) for Secrets Manager.',
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      handler: 'rotation.handler',
      code: props.rotationCode ?? lambda.Code.fromAsset(join(placeholderDir, 'rotation')),
      memorySize: 256,
      // setSecret may wait out the webhook's token cache before promoting.
      timeout: Duration.minutes(15),
      role: rotationRole,
      logGroup: rotationLogGroup,
    });

    // L1 schedule: the L2 addRotationSchedule would also grant secretsmanager:GetRandomPassword on '*'.
    const invokeBySecretsManager = new lambda.CfnPermission(this, 'RotationInvokePermission', {
      functionName: this.rotationFunction.functionArn,
      action: 'lambda:InvokeFunction',
      principal: 'secretsmanager.amazonaws.com',
      sourceAccount: this.account,
      sourceArn: this.secret.secretArn,
    });
    const rotation = new secretsmanager.CfnRotationSchedule(this, 'TwilioAuthTokenRotation', {
      secretId: this.secret.secretArn,
      rotationLambdaArn: this.rotationFunction.functionArn,
      // The first value is a placeholder: rotating it at create time would call Twilio with a bogus token.
      rotateImmediatelyOnUpdate: false,
      rotationRules: { scheduleExpression: `rate(${(props.rotateEvery ?? Duration.days(30)).toDays()} days)` },
    });
    rotation.node.addDependency(invokeBySecretsManager);

    const webhookUrl = props.api === 'http' ? this.addHttpApi(webhookPath) : this.addRestApi(webhookPath, stageName, props.customDomain);

    new CfnOutput(this, 'WebhookUrl', { value: webhookUrl, description: 'Paste this into the Twilio console.' });
    new CfnOutput(this, 'SecretArn', { value: this.secret.secretArn, description: 'Put the real token here.' });
    new CfnOutput(this, 'WebhookLogGroupName', {
      value: webhookLogGroup.logGroupName,
      description: 'Why a request was refused: aws logs tail <this> --follow.',
    });
  }

  /** Returns the public webhook URL; sets PUBLIC_BASE_URL to the API's default endpoint. */
  private addHttpApi(webhookPath: string): string {
    const api = new apigwv2.HttpApi(this, 'HttpApi', { createDefaultStage: true });
    api.addRoutes({
      path: `/${webhookPath}`,
      methods: [apigwv2.HttpMethod.POST],
      integration: new HttpLambdaIntegration('WebhookIntegration', this.webhookFunction),
    });
    // apiEndpoint is an attribute of the Api resource alone, so the function can name it without a cycle.
    this.webhookFunction.addEnvironment('PUBLIC_BASE_URL', api.apiEndpoint);
    return `${api.apiEndpoint}/${webhookPath}`;
  }

  /** Returns the public webhook URL; sets PUBLIC_BASE_URL to the custom domain + base path, or the stage URL. */
  private addRestApi(webhookPath: string, stageName: string, customDomain: CustomDomainProps | undefined): string {
    const api = new apigateway.RestApi(this, 'RestApi', {
      endpointTypes: [apigateway.EndpointType.REGIONAL],
      deployOptions: { stageName },
      // The CloudWatch role is an account-wide API Gateway setting with a broad managed policy; not ours to create.
      cloudWatchRole: false,
    });
    // No API Gateway authorizer: Twilio cannot send one. The function checks X-Twilio-Signature itself.
    api.root.addResource(webhookPath).addMethod('POST', new apigateway.LambdaIntegration(this.webhookFunction));

    let publicBaseUrl: string;
    if (customDomain) {
      const domain = new apigateway.DomainName(this, 'CustomDomain', {
        domainName: customDomain.domainName,
        certificate: acm.Certificate.fromCertificateArn(this, 'CustomDomainCertificate', customDomain.certificateArn),
        endpointType: apigateway.EndpointType.REGIONAL,
        securityPolicy: apigateway.SecurityPolicy.TLS_1_2,
      });
      domain.addBasePathMapping(api, { basePath: customDomain.basePath, stage: api.deploymentStage });
      publicBaseUrl = customDomain.basePath
        ? `https://${customDomain.domainName}/${customDomain.basePath}`
        : `https://${customDomain.domainName}`;
      new CfnOutput(this, 'CustomDomainTarget', { value: domain.domainNameAliasDomainName });
    } else {
      // Built from the RestApi id and the literal stage name: api.url would reference the Stage,
      // which depends on the method, which depends on this function (a cycle).
      publicBaseUrl = `https://${api.restApiId}.execute-api.${this.region}.${this.urlSuffix}/${stageName}`;
    }
    this.webhookFunction.addEnvironment('PUBLIC_BASE_URL', publicBaseUrl);
    return `${publicBaseUrl}/${webhookPath}`;
  }
}

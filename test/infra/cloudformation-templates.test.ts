/**
 * The plain CloudFormation templates under infra/aws/cloudformation: zero ERROR/FATAL findings from
 * @aws/cloudformation-validate (in every parameter branch), a broken copy that does fail, and the
 * wiring the functions rely on (env contract, least-privilege IAM, rotation, custom domain).
 */
import { RegoEngine, type Engine } from '@aws/cloudformation-validate';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { actionsOf, inlineStatements } from './support/iam-statements.js';
import { readTemplate, type PlainTemplate } from './support/resolved-template.js';
import { validateTemplateFile } from './support/validation-findings.js';

const templateDir = join(__dirname, '../../infra/aws/cloudformation');
const httpApiPath = join(templateDir, 'http-api.yaml');
const restApiPath = join(templateDir, 'rest-api.yaml');
const accountSid = `AC${'0'.repeat(32)}`;

const branches: Array<{ name: string; path: string; overrides: Record<string, string> }> = [
  { name: 'http-api.yaml', path: httpApiPath, overrides: { TwilioAccountSid: accountSid, CodeS3Bucket: 'artifacts' } },
  { name: 'rest-api.yaml (execute-api URL)', path: restApiPath, overrides: { TwilioAccountSid: accountSid, CodeS3Bucket: 'artifacts' } },
  {
    name: 'rest-api.yaml (custom domain + base path)',
    path: restApiPath,
    overrides: {
      TwilioAccountSid: accountSid,
      CodeS3Bucket: 'artifacts',
      DomainName: 'api.example.com',
      CertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555',
      BasePath: 'v1',
    },
  },
];

let engine: Engine;
let scratch: string;
beforeAll(() => {
  engine = new RegoEngine();
  scratch = mkdtempSync(join(tmpdir(), 'twiml-guard-cfn-'));
});
afterAll(() => {
  engine.free();
  rmSync(scratch, { recursive: true, force: true });
});

describe('@aws/cloudformation-validate', () => {
  it.each(branches)('finds no errors in $name', ({ path, overrides }) => {
    const findings = validateTemplateFile(engine, path, { parameterOverrides: overrides });
    expect(findings.failures).toEqual([]);
  });

  it('reports errors for a broken copy of the template (the check can fail)', () => {
    const broken = readFileSync(restApiPath, 'utf8')
      .replace('Runtime: nodejs22.x', 'Runtime: nodejs8.10')
      .replace('Resource: !GetAtt WebhookLogGroup.Arn', 'Resource: !GetAtt MissingLogGroup.Arn')
      .replace('MemorySize: 512', 'MemorySize: 99999');
    const brokenPath = join(scratch, 'broken-rest-api.yaml');
    writeFileSync(brokenPath, broken);
    const { failures } = validateTemplateFile(engine, brokenPath);
    expect(failures.some((f) => f.includes('nodejs8.10'))).toBe(true);
    expect(failures.some((f) => f.includes('MissingLogGroup'))).toBe(true);
    expect(failures.some((f) => f.includes('99999'))).toBe(true);
  });
});

describe.each([
  ['http-api.yaml', httpApiPath],
  ['rest-api.yaml', restApiPath],
])('%s wiring', (_name, path) => {
  let template: PlainTemplate;
  beforeAll(() => {
    template = readTemplate(path);
  });

  const resource = (logicalId: string) => {
    const found = template.resources[logicalId];
    if (!found) throw new Error(`${logicalId} missing`);
    return found;
  };

  it('runs both functions on nodejs22.x, the rotation function with handler rotation.handler', () => {
    expect(resource('WebhookFunction').properties.Runtime).toBe('nodejs22.x');
    expect(resource('RotationFunction').properties.Runtime).toBe('nodejs22.x');
    expect(resource('RotationFunction').properties.Handler).toBe('rotation.handler');
  });

  it('tells the webhook where the token is through TWILIO_AUTH_TOKEN_SECRET_ID', () => {
    const env = resource('WebhookFunction').properties.Environment as { Variables: Record<string, unknown> };
    expect(env.Variables.TWILIO_AUTH_TOKEN_SECRET_ID).toEqual({ Ref: 'TwilioAuthTokenSecret' });
    expect(env.Variables.PUBLIC_BASE_URL).toBeDefined();
  });

  it('lets the webhook only GetSecretValue on that one secret', () => {
    const secretStatements = inlineStatements(resource('WebhookRole')).filter((s) =>
      actionsOf(s).some((action) => action.startsWith('secretsmanager:')),
    );
    expect(secretStatements).toHaveLength(1);
    expect(actionsOf(secretStatements[0]!)).toEqual(['secretsmanager:GetSecretValue']);
    expect(secretStatements[0]!.Resource).toEqual({ Ref: 'TwilioAuthTokenSecret' });
  });

  it('gives the rotation function exactly the four rotation calls on that secret', () => {
    const secretStatements = inlineStatements(resource('RotationRole')).filter((s) =>
      actionsOf(s).some((action) => action.startsWith('secretsmanager:')),
    );
    expect(secretStatements).toHaveLength(1);
    expect(actionsOf(secretStatements[0]!)).toEqual([
      'secretsmanager:DescribeSecret',
      'secretsmanager:GetSecretValue',
      'secretsmanager:PutSecretValue',
      'secretsmanager:UpdateSecretVersionStage',
    ]);
    expect(secretStatements[0]!.Resource).toEqual({ Ref: 'TwilioAuthTokenSecret' });
  });

  it('uses no wildcard resource in any inline policy', () => {
    const statements = [...inlineStatements(resource('WebhookRole')), ...inlineStatements(resource('RotationRole'))];
    for (const statement of statements) expect(JSON.stringify(statement.Resource)).not.toContain('*');
  });

  it('schedules rotation through the rotation function, which only Secrets Manager may invoke for that secret', () => {
    const schedule = resource('TwilioAuthTokenRotation');
    expect(schedule.type).toBe('AWS::SecretsManager::RotationSchedule');
    expect(schedule.properties.SecretId).toEqual({ Ref: 'TwilioAuthTokenSecret' });
    expect(schedule.properties.RotationLambdaARN).toEqual({ 'Fn::GetAtt': ['RotationFunction', 'Arn'] });
    expect(schedule.properties.RotateImmediatelyOnUpdate).toBe(false);
    const permission = resource('RotationInvokePermission').properties;
    expect(permission.Principal).toBe('secretsmanager.amazonaws.com');
    expect(permission.SourceArn).toEqual({ Ref: 'TwilioAuthTokenSecret' });
  });
});

describe('rest-api.yaml custom domain', () => {
  let template: PlainTemplate;
  beforeAll(() => {
    template = readTemplate(restApiPath);
  });

  it('creates the domain and base-path mapping only under the HasCustomDomain condition', () => {
    expect(template.conditions).toEqual(expect.arrayContaining(['HasCustomDomain', 'HasBasePath']));
    expect(template.resources.CustomDomain).toMatchObject({ type: 'AWS::ApiGateway::DomainName', condition: 'HasCustomDomain' });
    expect(template.resources.CustomDomainMapping).toMatchObject({
      type: 'AWS::ApiGateway::BasePathMapping',
      condition: 'HasCustomDomain',
      properties: { RestApiId: { Ref: 'RestApi' }, Stage: { Ref: 'ApiStage' } },
    });
  });

  it('passes PUBLIC_BASE_URL that switches between the custom domain and the execute-api stage URL', () => {
    const env = template.resources.WebhookFunction!.properties.Environment as { Variables: Record<string, unknown> };
    const publicBaseUrl = env.Variables.PUBLIC_BASE_URL as { 'Fn::If': [string, unknown, unknown] };
    expect(publicBaseUrl['Fn::If'][0]).toBe('HasCustomDomain');
    expect(publicBaseUrl['Fn::If'][1]).toMatchObject({ 'Fn::If': ['HasBasePath', expect.anything(), expect.anything()] });
    expect(JSON.stringify(publicBaseUrl['Fn::If'][2])).toContain('execute-api');
  });

  it('exposes the stage, domain, certificate and base path as parameters', () => {
    expect(template.parameters).toEqual(expect.arrayContaining(['StageName', 'DomainName', 'CertificateArn', 'BasePath']));
  });
});

/**
 * The Terraform modules (infra/aws/terraform, infra/gcp): every .tf file parses with @cdktf/hcl2json,
 * broken HCL does not, every in-module reference is declared, and the resources carry the wiring the
 * functions rely on. Syntax and structure only: no provider schemas or `terraform validate` offline.
 */
import { parse } from '@cdktf/hcl2json';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readTerraformModule, unresolvedReferences, type TerraformModule } from './support/terraform-module.js';

const awsDir = join(__dirname, '../../infra/aws/terraform');
const gcpDir = join(__dirname, '../../infra/gcp');

const tfFiles = [awsDir, gcpDir].flatMap((dir) =>
  readdirSync(dir)
    .filter((file) => file.endsWith('.tf'))
    .map((file) => join(dir, file)),
);

describe('HCL syntax', () => {
  it('finds .tf files in both modules', () => {
    expect(tfFiles.filter((file) => file.startsWith(awsDir)).length).toBeGreaterThanOrEqual(4);
    expect(tfFiles.filter((file) => file.startsWith(gcpDir)).length).toBeGreaterThanOrEqual(4);
  });

  it.each(tfFiles)('parses %s', async (file) => {
    const json = await parse(file, readFileSync(file, 'utf8'));
    expect(Object.keys(json).length).toBeGreaterThan(0);
  });

  it('rejects broken HCL (the check can fail)', async () => {
    await expect(parse('broken.tf', 'variable "x" { type = string, default = }')).rejects.toThrow();
    const functions = readFileSync(join(awsDir, 'functions.tf'), 'utf8').replace('runtime          = "nodejs22.x"', 'runtime =');
    await expect(parse('functions.tf', functions)).rejects.toThrow();
  });
});

const webhookPolicyActions = (module: TerraformModule, name: string) =>
  [module.data.aws_iam_policy_document?.[name]?.statement].flat() as Array<{ actions: string[]; resources: string[] }>;

describe('infra/aws/terraform', () => {
  let module: TerraformModule;
  beforeAll(async () => {
    module = await readTerraformModule(awsDir);
  });

  it('declares everything it references', async () => {
    expect(await unresolvedReferences(module)).toEqual([]);
  });

  it('the reference check notices an undeclared name (the check can fail)', async () => {
    const broken: TerraformModule = { ...module, outputs: { ...module.outputs, extra: { value: '${aws_lambda_function.missing.arn}' } } };
    expect(await unresolvedReferences(broken)).toEqual(['aws_lambda_function.missing.arn']);
  });

  it('runs both functions on nodejs22.x; rotation uses rotation.handler', () => {
    const functions = module.resources.aws_lambda_function!;
    expect(functions.webhook!.runtime).toBe('nodejs22.x');
    expect(functions.rotation!.runtime).toBe('nodejs22.x');
    expect(functions.rotation!.handler).toBe('rotation.handler');
  });

  it('passes TWILIO_AUTH_TOKEN_SECRET_ID and PUBLIC_BASE_URL to the webhook', () => {
    const environment = module.resources.aws_lambda_function!.webhook!.environment as Array<{ variables: Record<string, string> }>;
    expect(environment[0]!.variables).toEqual({
      TWILIO_AUTH_TOKEN_SECRET_ID: '${aws_secretsmanager_secret.twilio_auth_token.arn}',
      PUBLIC_BASE_URL: '${local.public_base_url}',
    });
  });

  it('lets the webhook only GetSecretValue, and rotation only the four rotation calls, on the secret ARN', () => {
    const secretArn = '${aws_secretsmanager_secret.twilio_auth_token.arn}';
    const webhookSecret = webhookPolicyActions(module, 'webhook').filter((s) => s.actions.some((a) => a.startsWith('secretsmanager:')));
    expect(webhookSecret).toEqual([{ actions: ['secretsmanager:GetSecretValue'], resources: [secretArn] }]);
    const rotationSecret = webhookPolicyActions(module, 'rotation').filter((s) => s.actions.some((a) => a.startsWith('secretsmanager:')));
    expect(rotationSecret).toEqual([
      {
        actions: [
          'secretsmanager:DescribeSecret',
          'secretsmanager:GetSecretValue',
          'secretsmanager:PutSecretValue',
          'secretsmanager:UpdateSecretVersionStage',
        ],
        resources: [secretArn],
      },
    ]);
    const allResources = [...webhookPolicyActions(module, 'webhook'), ...webhookPolicyActions(module, 'rotation')].flatMap(
      (s) => s.resources,
    );
    expect(allResources).not.toContain('*');
  });

  it('rotates on a schedule through the rotation function, without rotating at apply time', () => {
    const rotation = module.resources.aws_secretsmanager_secret_rotation!.twilio_auth_token!;
    expect(rotation.rotation_lambda_arn).toBe('${aws_lambda_function.rotation.arn}');
    expect(rotation.rotate_immediately).toBe(false);
    const permission = module.resources.aws_lambda_permission!.rotation_by_secrets_manager!;
    expect(permission.principal).toBe('secretsmanager.amazonaws.com');
    expect(permission.source_arn).toBe('${aws_secretsmanager_secret.twilio_auth_token.arn}');
  });

  it('has an HTTP API and a REST API with stage and a custom domain + base-path mapping behind switches', () => {
    expect(module.resources.aws_apigatewayv2_api!.http!.count).toBe('${local.use_http_api ? 1 : 0}');
    expect(module.resources.aws_api_gateway_stage!.rest!.stage_name).toBe('${var.stage_name}');
    expect(module.resources.aws_api_gateway_domain_name!.custom!.count).toBe('${local.has_custom_domain ? 1 : 0}');
    expect(module.resources.aws_api_gateway_base_path_mapping!.custom!.count).toBe('${local.has_custom_domain ? 1 : 0}');
    expect(Object.keys(module.variables)).toEqual(
      expect.arrayContaining(['twilio_account_sid', 'api_type', 'stage_name', 'domain_name', 'certificate_arn', 'base_path']),
    );
  });
});

describe('infra/gcp', () => {
  let module: TerraformModule;
  beforeAll(async () => {
    module = await readTerraformModule(gcpDir);
  });
  const secretId = '${google_secret_manager_secret.twilio_auth_token.id}';

  it('declares everything it references', async () => {
    expect(await unresolvedReferences(module)).toEqual([]);
  });

  it('deploys two gen2 functions on nodejs22; the webhook gets TWILIO_AUTH_TOKEN_SECRET = the secret resource name', () => {
    const functions = module.resources.google_cloudfunctions2_function!;
    for (const name of ['webhook', 'rotation']) {
      const build = (functions[name]!.build_config as Array<{ runtime: string }>)[0]!;
      expect(build.runtime).toBe('nodejs22');
    }
    const service = (functions.webhook!.service_config as Array<Record<string, unknown>>)[0]!;
    expect(service.environment_variables).toEqual({ TWILIO_AUTH_TOKEN_SECRET: secretId });
    expect(service.service_account_email).toBe('${google_service_account.webhook.email}');
  });

  it('schedules rotation on the secret and publishes it to the topic that triggers the rotation function', () => {
    const secret = module.resources.google_secret_manager_secret!.twilio_auth_token!;
    expect(secret.rotation).toEqual([{ next_rotation_time: '${var.first_rotation_time}', rotation_period: '${var.rotation_period}' }]);
    expect(secret.topics).toEqual([{ name: '${google_pubsub_topic.rotation.id}' }]);
    const trigger = (module.resources.google_cloudfunctions2_function!.rotation!.event_trigger as Array<Record<string, unknown>>)[0]!;
    expect(trigger.event_type).toBe('google.cloud.pubsub.topic.v1.messagePublished');
    expect(trigger.pubsub_topic).toBe('${google_pubsub_topic.rotation.id}');
  });

  it('grants each identity its one role on that secret, and the Secret Manager agent publish on that topic', () => {
    const grants = Object.values(module.resources.google_secret_manager_secret_iam_member!).map((grant) => ({
      secret: grant.secret_id,
      role: grant.role,
      member: grant.member,
    }));
    expect(grants).toEqual(
      expect.arrayContaining([
        { secret: secretId, role: 'roles/secretmanager.secretAccessor', member: 'serviceAccount:${google_service_account.webhook.email}' },
        {
          secret: secretId,
          role: 'roles/secretmanager.secretVersionAdder',
          member: 'serviceAccount:${google_service_account.rotation.email}',
        },
      ]),
    );
    // The webhook identity holds nothing but read access.
    expect(grants.filter((g) => String(g.member).includes('google_service_account.webhook'))).toHaveLength(1);
    expect(module.resources.google_pubsub_topic_iam_member!.secret_manager_publishes).toMatchObject({
      topic: '${google_pubsub_topic.rotation.id}',
      role: 'roles/pubsub.publisher',
      member: 'serviceAccount:${google_project_service_identity.secret_manager_agent.email}',
    });
    expect(module.resources.google_project_iam_member).toBeUndefined();
  });

  it("lets the rotation identity hold its lease: get and update of that secret's metadata, nothing more", () => {
    const role = module.resources.google_project_iam_custom_role!.rotation_lease!;
    expect(role.permissions).toEqual(['secretmanager.secrets.get', 'secretmanager.secrets.update']);
    expect(module.resources.google_secret_manager_secret_iam_member!.rotation_holds_lease).toMatchObject({
      secret_id: '${google_secret_manager_secret.twilio_auth_token.id}',
      role: '${google_project_iam_custom_role.rotation_lease.id}',
      member: 'serviceAccount:${google_service_account.rotation.email}',
    });
  });
});

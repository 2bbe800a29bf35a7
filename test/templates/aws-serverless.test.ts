/**
 * Every template's aws/ folder: `serverless package` with osls (all five in parallel, offline, no
 * AWS credentials), the CloudFormation it writes checked by @aws/cloudformation-validate and for the
 * wiring the README promises (nodejs22.x, HTTP API, the secret and a GetSecretValue permission on
 * it alone), then the packaged zip's handler run as Lambda runs it, with HTTP API events shaped like
 * AWS's and the token read from Secrets Manager (a local fake of its protocol); and two of them
 * under `serverless offline start --stage local`, as `npm start` runs sms-auto-reply.
 */
import { RegoEngine, type Engine } from '@aws/cloudformation-validate';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DEFAULT_ACCOUNT_SID } from '@twiml-guard/testing';
import { validateTemplateFile } from '../infra/support/validation-findings.js';
import { ensurePackagesBuilt, ROOT, TEMPLATES_DIR } from './support/bundle-scripts.js';
import { httpApiEvent, EXECUTE_API_HOST } from './support/http-api-event.js';
import { freePort, ProcessGroup } from './support/processes.js';
import { sendTo, signFor } from './support/send-signed.js';
import {
  AUTH_TOKEN,
  FORGED_TOKEN,
  FORWARD_TO,
  rowsFor,
  TEMPLATE_CASES,
  type Answer,
  type TemplateRequest,
} from './support/template-cases.js';

const run = promisify(execFile);
const OSLS = join(ROOT, 'node_modules/osls/bin/serverless.js');
const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:twilio-auth-token-AbCdEf';

type CfnTemplate = {
  Resources: Record<string, { Type: string; Properties: Record<string, unknown>; DependsOn?: unknown }>;
  Outputs?: Record<string, { Value: unknown }>;
};

const scratch = mkdtempSync(join(tmpdir(), 'twiml-guard-sls-'));
const packaged = new Map<string, { dir: string; files: string[]; cfn: CfnTemplate; cfnPath: string }>();
let engine: Engine | undefined;
let forwardToMissingOutcome = '';
/** sms-auto-reply packaged with --param="rotation=true". */
let withRotation: { cfn: CfnTemplate; cfnPath: string; files: string[]; dir: string } | undefined;

beforeAll(async () => {
  ensurePackagesBuilt();
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? scratch,
    SLS_TELEMETRY_DISABLED: '1',
    SLS_NOTIFICATIONS_MODE: 'off',
    AWS_ACCESS_KEY_ID: 'x',
    AWS_SECRET_ACCESS_KEY: 'y',
    FORWARD_TO,
  };
  const { FORWARD_TO: _unset, ...withoutForwardTo } = env;
  const packagingWithoutForwardTo = run(process.execPath, [OSLS, 'package', '--package', join(scratch, 'no-forward-to')], {
    cwd: join(TEMPLATES_DIR, 'call-forwarding', 'aws'),
    env: withoutForwardTo,
  }).then(
    () => 'packaged',
    (error: Error & { stdout?: string; stderr?: string }) => `${error.stdout ?? ''}${error.stderr ?? ''}`,
  );
  // After the others: two packagings of one folder at once would share its .esbuild output.
  const packageWithRotation = async (): Promise<void> => {
    const out = join(scratch, 'sms-auto-reply-rotation');
    await run(process.execPath, [OSLS, 'package', '--package', out, '--param=rotation=true'], {
      cwd: join(TEMPLATES_DIR, 'sms-auto-reply', 'aws'),
      env,
      maxBuffer: 16 * 1024 * 1024,
    });
    const dir = join(out, 'code');
    mkdirSync(dir);
    await run('unzip', ['-q', join(out, 'sms-auto-reply.zip'), '-d', dir]);
    const cfnPath = join(out, 'cloudformation-template-update-stack.json');
    withRotation = { cfn: JSON.parse(readFileSync(cfnPath, 'utf8')) as CfnTemplate, cfnPath, files: readdirSync(dir).sort(), dir };
  };
  await Promise.all([
    packagingWithoutForwardTo.then((outcome) => {
      forwardToMissingOutcome = outcome;
    }),
    ...TEMPLATE_CASES.map(async ({ template }) => {
      const out = join(scratch, template);
      await run(process.execPath, [OSLS, 'package', '--package', out], {
        cwd: join(TEMPLATES_DIR, template, 'aws'),
        env,
        maxBuffer: 16 * 1024 * 1024,
      }).catch((error: Error & { stdout?: string; stderr?: string }) => {
        throw new Error(`serverless package failed for ${template}: ${error.message}\n${error.stdout ?? ''}\n${error.stderr ?? ''}`);
      });
      const code = join(out, 'code');
      mkdirSync(code);
      await run('unzip', ['-q', join(out, `${template}.zip`), '-d', code]);
      const cfnPath = join(out, 'cloudformation-template-update-stack.json');
      const files = readdirSync(code, { recursive: true }).map(String).sort();
      // The Lambda runtime provides AWS SDK v3 beside the code; here the monorepo's copy does (import() ignores NODE_PATH).
      symlinkSync(join(ROOT, 'node_modules'), join(code, 'node_modules'), 'dir');
      packaged.set(template, { dir: code, files, cfn: JSON.parse(readFileSync(cfnPath, 'utf8')) as CfnTemplate, cfnPath });
    }),
  ]);
  await packageWithRotation();
}, 230_000);

afterAll(() => {
  engine?.free();
  rmSync(scratch, { recursive: true, force: true });
});

const resourcesOf = (cfn: CfnTemplate, type: string) => Object.values(cfn.Resources).filter((resource) => resource.Type === type);

describe.each(TEMPLATE_CASES.map((c) => [c.template, c] as const))('%s: serverless package (osls)', (template, templateCase) => {
  it('writes CloudFormation with no ERROR/FATAL finding from @aws/cloudformation-validate', () => {
    engine ??= new RegoEngine();
    expect(validateTemplateFile(engine, packaged.get(template)!.cfnPath).failures).toEqual([]);
  });

  it('wires nodejs22.x, an HTTP API route per path, the secret, and GetSecretValue on that secret only', () => {
    const { cfn } = packaged.get(template)!;
    const [fn, ...others] = resourcesOf(cfn, 'AWS::Lambda::Function');
    expect(others).toHaveLength(0);
    expect(fn?.Properties.Runtime).toBe('nodejs22.x');
    expect((fn?.Properties.Environment as { Variables: Record<string, unknown> }).Variables.TWILIO_AUTH_TOKEN_SECRET_ID).toEqual({
      Ref: 'TwilioAuthTokenSecret',
    });
    expect(cfn.Resources.TwilioAuthTokenSecret?.Type).toBe('AWS::SecretsManager::Secret');
    expect(resourcesOf(cfn, 'AWS::ApiGatewayV2::Api').map((api) => api.Properties.ProtocolType)).toEqual(['HTTP']);
    const expectedRoutes = templateCase.requests.map((request) => `POST ${templateCase.path}${request.subPath}`);
    expect(
      resourcesOf(cfn, 'AWS::ApiGatewayV2::Route')
        .map((route) => route.Properties.RouteKey)
        .sort(),
    ).toEqual([...new Set(expectedRoutes)].sort());
    const statements = (
      cfn.Resources.IamRoleLambdaExecution?.Properties.Policies as {
        PolicyDocument: { Statement: { Action: string[]; Resource: unknown }[] };
      }[]
    ).flatMap((policy) => policy.PolicyDocument.Statement);
    const secretStatements = statements.filter((statement) => statement.Action.some((action) => action.startsWith('secretsmanager:')));
    expect(secretStatements).toEqual([
      { Effect: 'Allow', Action: ['secretsmanager:GetSecretValue'], Resource: { Ref: 'TwilioAuthTokenSecret' } },
    ]);
  });

  it('outputs the secret ARN and the webhook URL, and adds no rotation without the flag', () => {
    const { cfn } = packaged.get(template)!;
    expect(cfn.Outputs?.TwilioAuthTokenSecretArn?.Value).toEqual({ Ref: 'TwilioAuthTokenSecret' });
    expect(cfn.Outputs?.WebhookUrl?.Value).toEqual({ 'Fn::Join': ['', [{ 'Fn::GetAtt': ['HttpApi', 'ApiEndpoint'] }, templateCase.path]] });
    expect(resourcesOf(cfn, 'AWS::SecretsManager::RotationSchedule')).toEqual([]);
    expect(cfn.Outputs?.RotationFunctionName).toBeUndefined();
  });

  it('zips one bundled index.js without the AWS SDK (the runtime provides it)', () => {
    const { dir, files } = packaged.get(template)!;
    expect(files).toEqual(['index.js']);
    expect(readFileSync(join(dir, 'index.js'), 'utf8')).not.toContain('SecretsManagerServiceException');
  });
});

describe('--param="rotation=true" (sms-auto-reply)', () => {
  it('passes @aws/cloudformation-validate', () => {
    engine ??= new RegoEngine();
    expect(validateTemplateFile(engine, withRotation!.cfnPath).failures).toEqual([]);
  });

  it('adds the rotation function with its own least-privilege role, the invoke permission and the schedule', () => {
    const { cfn } = withRotation!;
    const rotation = cfn.Resources.RotationLambdaFunction!;
    expect(rotation.Properties).toMatchObject({
      Handler: 'rotation.handler',
      Runtime: 'nodejs22.x',
      Timeout: 900,
      Role: { 'Fn::GetAtt': ['TwilioAuthTokenRotationRole', 'Arn'] },
    });
    const statements = (
      cfn.Resources.TwilioAuthTokenRotationRole!.Properties.Policies as {
        PolicyDocument: { Statement: { Action: string[]; Resource: unknown }[] };
      }[]
    ).flatMap((policy) => policy.PolicyDocument.Statement);
    expect(statements).toEqual([
      {
        Effect: 'Allow',
        Action: [
          'secretsmanager:DescribeSecret',
          'secretsmanager:GetSecretValue',
          'secretsmanager:PutSecretValue',
          'secretsmanager:UpdateSecretVersionStage',
        ],
        Resource: { Ref: 'TwilioAuthTokenSecret' },
      },
      { Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: { 'Fn::GetAtt': ['RotationLogGroup', 'Arn'] } },
    ]);
    expect(cfn.Resources.TwilioAuthTokenRotationPermission!.Properties).toMatchObject({
      Principal: 'secretsmanager.amazonaws.com',
      SourceArn: { Ref: 'TwilioAuthTokenSecret' },
      FunctionName: { 'Fn::GetAtt': ['RotationLambdaFunction', 'Arn'] },
    });
    expect(cfn.Resources.TwilioAuthTokenRotation!.Properties).toEqual({
      SecretId: { Ref: 'TwilioAuthTokenSecret' },
      RotationLambdaARN: { 'Fn::GetAtt': ['RotationLambdaFunction', 'Arn'] },
      RotateImmediatelyOnUpdate: false,
      RotationRules: { ScheduleExpression: 'rate(30 days)' },
    });
    expect(cfn.Outputs?.RotationFunctionName?.Value).toEqual({ Ref: 'RotationLambdaFunction' });
    expect(cfn.Outputs?.TwilioAuthTokenSecretArn?.Value).toEqual({ Ref: 'TwilioAuthTokenSecret' });
    // The webhook's own role still reads the secret and nothing more.
    const webhookStatements = (
      cfn.Resources.IamRoleLambdaExecution?.Properties.Policies as { PolicyDocument: { Statement: { Action: string[] }[] } }[]
    ).flatMap((policy) => policy.PolicyDocument.Statement);
    expect(webhookStatements.flatMap((statement) => statement.Action).filter((action) => action.startsWith('secretsmanager:'))).toEqual([
      'secretsmanager:GetSecretValue',
    ]);
  });

  it('bundles rotation.js with twilio inside, and it exports the rotation handler', async () => {
    const { dir, files } = withRotation!;
    expect(files).toEqual(['index.js', 'rotation.js']);
    // Loaded by node as the Lambda runtime loads it (the AWS SDK beside it, as the runtime provides).
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
    const { stdout } = await run(
      process.execPath,
      ['-e', 'process.stdout.write(typeof require(process.argv[1]).handler)', join(dir, 'rotation.js')],
      { env: { PATH: process.env.PATH ?? '' } },
    );
    expect(stdout).toBe('function');
    expect(readFileSync(join(dir, 'rotation.js'), 'utf8')).toContain('api.twilio.com');
  });
});

it('call-forwarding refuses to package without FORWARD_TO (a deploy fails fast instead of a function that cannot forward)', () => {
  expect(forwardToMissingOutcome).toContain('Cannot resolve variable at "params.default.environment.FORWARD_TO"');
});

describe('the packaged handlers, invoked as Lambda does with HTTP API events', () => {
  type Invocation = { id: string; template: string; request: TemplateRequest; kind: 'signed' | 'forged' | 'unsigned' };
  const invocations: Invocation[] = [];
  const answers = new Map<string, Answer>();
  let secretReads: { target: string; secretId: string }[] = [];
  let logs = '';
  const base = (template: string): string => `https://${EXECUTE_API_HOST}${TEMPLATE_CASES.find((c) => c.template === template)?.path}`;

  beforeAll(async () => {
    const job = {
      secretArn: SECRET_ARN,
      // The presets' account: the secret binds the token to it, as {"accountSid","authToken"} secrets do.
      accountSid: DEFAULT_ACCOUNT_SID,
      authToken: AUTH_TOKEN,
      env: { FORWARD_TO },
      invocations: rowsFor('aws').flatMap(([template, label, , request]) =>
        (['signed', 'forged', 'unsigned'] as const).map((kind) => {
          const id = `${template} ${label} ${kind}`;
          invocations.push({ id, template, request, kind });
          const signed = signFor(base(template) + request.subPath, request.payload, kind === 'forged' ? FORGED_TOKEN : AUTH_TOKEN);
          const path = TEMPLATE_CASES.find((c) => c.template === template)!.path + request.subPath;
          return {
            id,
            functionName: `${template}-dev`,
            handlerFile: join(packaged.get(template)!.dir, 'index.js'),
            event: httpApiEvent(signed, `POST ${path}`, kind === 'unsigned' ? ['x-twilio-signature'] : []),
          };
        }),
      ),
    };
    const jobFile = join(scratch, 'lambda-job.json');
    const resultFile = join(scratch, 'lambda-results.json');
    writeFileSync(jobFile, JSON.stringify({ ...job, resultFile }));
    const { stdout, stderr } = await run(process.execPath, [join(__dirname, 'support/lambda-runner.cjs'), jobFile], {
      env: { PATH: process.env.PATH ?? '' },
      maxBuffer: 16 * 1024 * 1024,
    });
    const output = JSON.parse(readFileSync(resultFile, 'utf8')) as {
      results: { id: string; result: { statusCode: number; headers?: Record<string, string>; body?: string; isBase64Encoded?: boolean } }[];
      secretReads: typeof secretReads;
    };
    for (const { id, result } of output.results) {
      const body = result.isBase64Encoded ? Buffer.from(result.body ?? '', 'base64').toString('utf8') : (result.body ?? '');
      const contentType = Object.entries(result.headers ?? {}).find(([name]) => name.toLowerCase() === 'content-type')?.[1] ?? null;
      answers.set(id, { status: result.statusCode, contentType, body });
    }
    secretReads = output.secretReads;
    logs = stderr + stdout;
  }, 60_000);

  it.each(rowsFor('aws'))('%s: %s — signed gets the answer, forged 403, unsigned 400', (template, label, _case, request) => {
    request.expectAnswer(answers.get(`${template} ${label} signed`)!, base(template));
    expect(answers.get(`${template} ${label} forged`)?.status).toBe(403);
    expect(answers.get(`${template} ${label} unsigned`)?.status).toBe(400);
    if (request.logLine) expect(logs).toMatch(request.logLine);
  });

  it("every function read its token from the stack's secret (GetSecretValue on that ARN only)", () => {
    // At least one read per function; a forged request may trigger one rate-limited refresh (rotation support).
    expect(secretReads.length).toBeGreaterThanOrEqual(TEMPLATE_CASES.length);
    expect(new Set(secretReads.map((read) => `${read.target} ${read.secretId}`))).toEqual(
      new Set([`secretsmanager.GetSecretValue ${SECRET_ARN}`]),
    );
    expect(invocations.length).toBe(answers.size);
  });
});

describe('serverless offline start --stage local (what `npm start` runs), after packaging so the .esbuild folders are not shared', () => {
  const OFFLINE_TEMPLATES = ['sms-auto-reply', 'voice-ivr'];
  const processes = new ProcessGroup();
  const ports = new Map<string, number>();
  const base = (template: string): string =>
    `http://127.0.0.1:${ports.get(template)}${TEMPLATE_CASES.find((c) => c.template === template)?.path}`;

  beforeAll(async () => {
    await Promise.all(
      OFFLINE_TEMPLATES.map(async (template) => {
        const [httpPort, lambdaPort] = [await freePort(), await freePort()];
        ports.set(template, httpPort);
        await processes.start(
          process.execPath,
          [
            OSLS,
            'offline',
            'start',
            '--stage',
            'local',
            '--host',
            '127.0.0.1',
            '--httpPort',
            String(httpPort),
            '--lambdaPort',
            String(lambdaPort),
          ],
          {
            cwd: join(TEMPLATES_DIR, template, 'aws'),
            env: {
              PATH: process.env.PATH ?? '',
              HOME: process.env.HOME ?? scratch,
              SLS_TELEMETRY_DISABLED: '1',
              SLS_NOTIFICATIONS_MODE: 'off',
              AWS_ACCESS_KEY_ID: 'x',
              AWS_SECRET_ACCESS_KEY: 'y',
              // Stage local: the token from the shell, the signed URL from PUBLIC_BASE_URL (the emulator serves http).
              TWILIO_AUTH_TOKEN: AUTH_TOKEN,
              PUBLIC_BASE_URL: `http://127.0.0.1:${httpPort}`,
            },
          },
          'Server ready:',
          90_000,
        );
      }),
    );
  }, 120_000);

  afterAll(async () => {
    await processes.stopAll();
    // serverless-offline leaves its esbuild output behind when stopped; packaging cleans up after itself.
    for (const template of OFFLINE_TEMPLATES) rmSync(join(TEMPLATES_DIR, template, 'aws/.esbuild'), { recursive: true, force: true });
  });

  const rows = rowsFor('aws').filter(([template]) => OFFLINE_TEMPLATES.includes(template));
  it.each(rows)('%s: %s — signed gets the answer, forged 403, unsigned 400', async (template, _label, _case, request) => {
    const url = base(template) + request.subPath;
    request.expectAnswer(await sendTo(ports.get(template)!, signFor(url, request.payload, AUTH_TOKEN)), base(template));
    expect((await sendTo(ports.get(template)!, signFor(url, request.payload, FORGED_TOKEN))).status).toBe(403);
    expect((await sendTo(ports.get(template)!, signFor(url, request.payload, AUTH_TOKEN), ['x-twilio-signature'])).status).toBe(400);
  });
});

/**
 * Runs the CDK app the way `cdk synth` does (cdk.json's esbuild bundle of bin/app.ts, then node, with
 * CDK_OUTDIR and CDK_CONTEXT_JSON), offline, and checks the synthesized templates with
 * @aws/cloudformation-validate: zero ERROR/FATAL findings, and a broken copy that does fail.
 */
import { RegoEngine, type Engine } from '@aws/cloudformation-validate';
import { build } from 'esbuild';
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateTemplateFile } from './support/validation-findings.js';

const cdkDir = join(__dirname, '../../infra/aws/cdk');
const twilioAccountSid = `AC${'0'.repeat(32)}`;

const variants: Array<{ name: string; context: Record<string, string> }> = [
  { name: 'HTTP API', context: { api: 'http' } },
  { name: 'REST API', context: { api: 'rest', stageName: 'v1' } },
  {
    name: 'REST API + custom domain',
    context: {
      api: 'rest',
      domainName: 'api.example.com',
      certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555',
      basePath: 'v1',
    },
  },
];

let engine: Engine;
let scratch: string;
let bundledApp: string;
/** Template path per variant name; each synth loads aws-cdk-lib and runs its own validation, so they run in parallel. */
const synthesized = new Map<string, string>();
beforeAll(async () => {
  engine = new RegoEngine();
  scratch = mkdtempSync(join(tmpdir(), 'twiml-guard-cdk-'));
  // Same flags as cdk.json. The bundle sits in .build/ because the stack finds its placeholder code one level up.
  bundledApp = join(cdkDir, '.build', `app-test-${process.pid}.cjs`);
  const cdkJson = JSON.parse(readFileSync(join(cdkDir, 'cdk.json'), 'utf8')) as { app: string };
  expect(cdkJson.app).toContain('esbuild bin/app.ts --bundle --platform=node --packages=external');
  await build({
    entryPoints: [join(cdkDir, 'bin/app.ts')],
    outfile: bundledApp,
    bundle: true,
    platform: 'node',
    packages: 'external',
    logLevel: 'warning',
  });
  await Promise.all(variants.map(async ({ name, context }) => synthesized.set(name, await synthesize(name, context))));
});
afterAll(() => {
  engine.free();
  rmSync(scratch, { recursive: true, force: true });
  rmSync(bundledApp, { force: true });
});

function synthesisEnvironment(outdir: string, context: Record<string, string>): NodeJS.ProcessEnv {
  return {
    ...process.env,
    CDK_OUTDIR: outdir,
    // The variants check the stack's shape: placeholder code, asked for by name (see the refusal below).
    CDK_CONTEXT_JSON: JSON.stringify({ twilioAccountSid, usePlaceholderCode: 'true', ...context }),
    // aws-cdk-lib runs its own bundled copy of the validator during synth (~3 s of WASM start per process);
    // this file validates the output with the pinned one, so the built-in pass is skipped here only.
    CDK_VALIDATION: 'false',
  };
}

async function synthesize(name: string, context: Record<string, string>): Promise<string> {
  const outdir = join(scratch, name.replace(/\W+/g, '-'));
  await promisify(execFile)(process.execPath, [bundledApp], { cwd: cdkDir, env: synthesisEnvironment(outdir, context) });
  return join(outdir, 'TwimlGuardWebhook.template.json');
}

function templatePathOf(name: string): string {
  const path = synthesized.get(name);
  if (!path) throw new Error(`${name} was not synthesized`);
  return path;
}

it.each(variants)('synthesizes the $name stack with no validator errors', ({ name }) => {
  const templatePath = templatePathOf(name);
  const findings = validateTemplateFile(engine, templatePath);
  expect(findings.failures).toEqual([]);
  const resources = (JSON.parse(readFileSync(templatePath, 'utf8')) as { Resources: Record<string, { Type: string }> }).Resources;
  expect(Object.values(resources).filter((r) => r.Type === 'AWS::SecretsManager::RotationSchedule')).toHaveLength(1);
});

it('reports errors for a broken copy of the synthesized template (the check can fail)', () => {
  const template = JSON.parse(readFileSync(templatePathOf('HTTP API'), 'utf8')) as {
    Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
  };
  for (const resource of Object.values(template.Resources)) {
    if (resource.Type === 'AWS::Lambda::Function') resource.Properties.Runtime = 'nodejs8.10';
    if (resource.Type === 'AWS::SecretsManager::RotationSchedule')
      resource.Properties.RotationLambdaARN = { 'Fn::GetAtt': ['Missing', 'Arn'] };
  }
  const brokenPath = join(scratch, 'broken.template.json');
  writeFileSync(brokenPath, JSON.stringify(template));
  const { failures } = validateTemplateFile(engine, brokenPath);
  expect(failures.some((f) => f.includes('nodejs8.10'))).toBe(true);
  expect(failures.some((f) => f.includes('Missing'))).toBe(true);
});

it('refuses to synthesize without a twilioAccountSid', () => {
  const outdir = join(scratch, 'no-sid');
  expect(() =>
    execFileSync(process.execPath, [bundledApp], {
      cwd: cdkDir,
      env: synthesisEnvironment(outdir, { api: 'http', twilioAccountSid: '' }),
      stdio: 'pipe',
    }),
  ).toThrow(/twilioAccountSid/);
});

it('refuses to synthesize placeholder code unless -c usePlaceholderCode=true (a deploy would answer 503)', () => {
  const outdir = join(scratch, 'no-code');
  let output = '';
  try {
    execFileSync(process.execPath, [bundledApp], {
      cwd: cdkDir,
      env: synthesisEnvironment(outdir, { api: 'http', usePlaceholderCode: '' }),
      stdio: 'pipe',
    });
  } catch (error) {
    output = String((error as { stderr?: Buffer }).stderr ?? '');
  }
  expect(output).toContain(
    'context webhookCodePath and rotationCodePath are required (npm run build && npm run package:infra, then -c webhookCodePath=../../../dist/sms-auto-reply.zip -c rotationCodePath=../../../dist/rotation.zip); to synthesise with placeholder functions that answer 503, pass -c usePlaceholderCode=true',
  );
});

it('synthesizes with the real code paths given, and the template points at those assets', async () => {
  const webhookDir = join(scratch, 'webhook-code');
  const rotationDir = join(scratch, 'rotation-code');
  mkdirSync(webhookDir);
  mkdirSync(rotationDir);
  writeFileSync(join(webhookDir, 'index.js'), 'exports.handler = async () => ({ statusCode: 200 });');
  writeFileSync(join(rotationDir, 'rotation.js'), 'exports.handler = async () => undefined;');
  const outdir = join(scratch, 'real-code');
  await promisify(execFile)(process.execPath, [bundledApp], {
    cwd: cdkDir,
    env: synthesisEnvironment(outdir, { api: 'http', usePlaceholderCode: '', webhookCodePath: webhookDir, rotationCodePath: rotationDir }),
  });
  const assets = JSON.parse(readFileSync(join(outdir, 'TwimlGuardWebhook.assets.json'), 'utf8')) as {
    files: Record<string, { source: { path: string } }>;
  };
  const staged = Object.values(assets.files)
    .map((file) => file.source.path)
    .filter((path) => path.startsWith('asset.'));
  const stagedContents = staged.map((path) => readdirSync(join(outdir, path)).sort().join(','));
  expect(stagedContents.sort()).toEqual(['index.js', 'rotation.js']);
});

it("the aws-cdk CLI devDependency synthesizes this app (its cloud assembly schema reads aws-cdk-lib's)", async () => {
  const cdk = join(__dirname, '../../node_modules/aws-cdk/bin/cdk');
  const outdir = join(scratch, 'cli');
  // Offline: no version check, no notices, no telemetry (each would try the network).
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: scratch,
    CDK_VALIDATION: 'false',
    CDK_DISABLE_VERSION_CHECK: '1',
    CDK_DISABLE_CLI_TELEMETRY: 'true',
  };
  const refused = await promisify(execFile)(
    process.execPath,
    [cdk, 'synth', '-q', '--no-notices', '-o', outdir, '-c', `twilioAccountSid=${twilioAccountSid}`],
    { cwd: cdkDir, env },
  ).then(
    () => 'synthesized',
    (error: { stderr?: string }) => error.stderr ?? '',
  );
  expect(refused).toContain('context webhookCodePath and rotationCodePath are required');
  await promisify(execFile)(
    process.execPath,
    [cdk, 'synth', '-q', '--no-notices', '-o', outdir, '-c', `twilioAccountSid=${twilioAccountSid}`, '-c', 'usePlaceholderCode=true'],
    { cwd: cdkDir, env },
  );
  expect(validateTemplateFile(engine, join(outdir, 'TwimlGuardWebhook.template.json')).failures).toEqual([]);
}, 60_000);

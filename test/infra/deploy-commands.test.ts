/**
 * The deploy guides' commands come from scripts/deploy-commands.mjs, which reads every output,
 * parameter, variable, function and context key it names from the template or IaC file that
 * defines it. Here: each guide carries every block verbatim, a misspelt name fails the script, and
 * the names it reads agree with the real parsers (the CloudFormation validator's, HCL via hcl2json).
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { readTemplate } from './support/resolved-template.js';
import { readTerraformModule } from './support/terraform-module.js';

const ROOT = join(__dirname, '../..');
const SCRIPT = join(ROOT, 'scripts/deploy-commands.mjs');

interface Block {
  readonly id: string;
  readonly text: string;
}

/** The script's exports are an ES module; node runs them as users do, one call per element of `calls`. */
type Call = readonly [fn: string, ...args: string[]];
type Outcome = { value: unknown } | { error: string };

async function callScript(calls: readonly Call[]): Promise<Outcome[]> {
  const program = `const m = await import(${JSON.stringify(SCRIPT)});
const out = [];
for (const [fn, ...args] of ${JSON.stringify(calls)}) {
  try { out.push({ value: m[fn](...args) }); } catch (error) { out.push({ error: error.message }); }
}
process.stdout.write(JSON.stringify(out));`;
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', program], { maxBuffer: 4 * 1024 * 1024 });
  return JSON.parse(stdout) as Outcome[];
}

async function value(call: Call): Promise<unknown> {
  const [outcome] = await callScript([call]);
  if (!outcome || 'error' in outcome) throw new Error(`${call.join(' ')}: ${outcome && 'error' in outcome ? outcome.error : 'no answer'}`);
  return outcome.value;
}

let commands: Record<string, Block[]>;
beforeAll(async () => {
  commands = (await value(['deployCommands'])) as Record<string, Block[]>;
});

describe.each(['aws', 'azure', 'gcp', 'twilio'])('docs/deploy/%s.md', (cloud) => {
  it('carries every command block of the script verbatim, in a shell code block', () => {
    const guide = readFileSync(join(ROOT, 'docs/deploy', `${cloud}.md`), 'utf8');
    const blocks = commands[cloud]!;
    expect(blocks.length).toBeGreaterThan(3);
    const missing = blocks.filter((block) => !guide.includes(`\`\`\`sh\n${block.text}\n\`\`\``)).map((block) => block.id);
    expect(missing).toEqual([]);
  });

  it('never passes the auth token as an argument of a program (`ps` shows arguments): only the printf builtin reads it, into a pipe or a file', () => {
    const commandsWithToken = commands[cloud]!.flatMap((block) =>
      block.text.split(/(?<!\\)\n/).map((line) => line.replace(/\\\n\s*/g, ' ')),
    ).filter((command) => command.includes('$TWILIO_AUTH_TOKEN'));
    const exposed = commandsWithToken.filter((command) => !/^printf [^|>]*\$TWILIO_AUTH_TOKEN[^|>]*(\||> "\$[A-Z_]+"$)/.test(command));
    expect(exposed).toEqual([]);
  });

  it('links the rotation guide and links only files that exist', () => {
    const guide = readFileSync(join(ROOT, 'docs/deploy', `${cloud}.md`), 'utf8');
    expect(guide).toContain('](../rotation.md)');
    const targets = [...guide.matchAll(/\]\(([^)#]+)(#[^)]*)?\)/g)].map((match) => match[1]!).filter((target) => !/^https?:/.test(target));
    for (const target of targets) expect(() => readFileSync(join(ROOT, 'docs/deploy', target))).not.toThrow();
  });
});

it('a misspelt name in any reader fails with the file and the name; the right one is returned', async () => {
  const sls = 'templates/sms-auto-reply/aws/serverless.yml';
  const outcomes = await callScript([
    ['cfnName', 'infra/aws/cloudformation/http-api.yaml', 'Outputs', 'SecretARN'],
    ['cfnName', 'infra/aws/cloudformation/http-api.yaml', 'Parameters', 'WebhookCodeS3Bucket'],
    ['tfName', 'infra/aws/terraform', 'output', 'secret_arm'],
    ['tfName', 'infra/gcp', 'variable', 'project'],
    ['bicepName', 'infra/azure/main.bicep', 'output', 'webhookURL'],
    ['slsName', sls, 'output', 'SecretArn'],
    ['slsName', sls, 'function', 'sm'],
    ['slsName', sls, 'param', 'rotate'],
    ['cdkOutput', 'WebhookURL'],
    ['cdkContext', 'accountSid'],
    ['templateScript', 'gcp', 'deploy-now'],
    ['slsName', sls, 'output', 'TwilioAuthTokenSecretArn'],
    ['bicepName', 'infra/azure/main.bicep', 'output', 'webhookUrl'],
  ]);
  expect(outcomes).toEqual([
    { error: 'infra/aws/cloudformation/http-api.yaml: no Outputs entry "SecretARN"' },
    { error: 'infra/aws/cloudformation/http-api.yaml: no Parameters entry "WebhookCodeS3Bucket"' },
    { error: 'infra/aws/terraform: no output "secret_arm"' },
    { error: 'infra/gcp: no variable "project"' },
    { error: 'infra/azure/main.bicep: no output "webhookURL"' },
    { error: `${sls}: no output "SecretArn"` },
    { error: `${sls}: no function "sm"` },
    { error: `${sls}: no param "rotate"` },
    { error: 'infra/aws/cdk/lib/twilio-webhook-stack.ts: no CfnOutput "WebhookURL"' },
    { error: 'infra/aws/cdk/bin/app.ts: no context key "accountSid"' },
    { error: 'templates/sms-auto-reply/gcp/package.json: no "deploy-now" script' },
    { value: 'TwilioAuthTokenSecretArn' },
    { value: 'webhookUrl' },
  ]);
});

it('the CloudFormation names it reads are the ones the validator parses from http-api.yaml', async () => {
  const path = 'infra/aws/cloudformation/http-api.yaml';
  const template = readTemplate(join(ROOT, path));
  const outputs = ['SecretArn', 'WebhookUrl', 'WebhookFunctionName'];
  const parameters = ['CodeS3Bucket', 'WebhookCodeS3Key', 'RotationCodeS3Key', 'TwilioAccountSid', 'WebhookPath'];
  const outcomes = await callScript([
    ...outputs.map((name): Call => ['cfnName', path, 'Outputs', name]),
    ...parameters.map((name): Call => ['cfnName', path, 'Parameters', name]),
  ]);
  expect(outcomes).toEqual([...outputs, ...parameters].map((name) => ({ value: name })));
  expect(Object.keys(template.outputs)).toEqual(expect.arrayContaining(outputs));
  expect(template.parameters).toEqual(expect.arrayContaining(parameters));
  // Every parameter without a default is set by the guide's deploy command.
  const deploy = commands.aws!.find((block) => block.id === 'cloudformation')!.text;
  for (const name of template.parameters) {
    if (
      /Default:/.test(
        readFileSync(join(ROOT, path), 'utf8')
          .split(`\n  ${name}:\n`)[1]
          ?.split(/\n {2}\w/)[0] ?? '',
      )
    )
      continue;
    expect(deploy).toContain(`${name}=`);
  }
});

it.each([
  ['infra/aws/terraform', ['secret_arn', 'webhook_url', 'webhook_function_name'], ['twilio_account_sid', 'region']],
  ['infra/gcp', ['secret_id', 'webhook_url', 'webhook_function_name'], ['project_id', 'region', 'first_rotation_time']],
])('the Terraform names it reads from %s are the ones hcl2json parses', async (dir, outputs, variables) => {
  const module = await readTerraformModule(join(ROOT, dir));
  const outcomes = await callScript([
    ...outputs.map((name): Call => ['tfName', dir, 'output', name]),
    ...variables.map((name): Call => ['tfName', dir, 'variable', name]),
  ]);
  expect(outcomes).toEqual([...outputs, ...variables].map((name) => ({ value: name })));
  expect(Object.keys(module.outputs)).toEqual(expect.arrayContaining(outputs));
  expect(Object.keys(module.variables)).toEqual(expect.arrayContaining(variables));
  // Every variable without a default is set by the guide's plan command.
  const required = Object.entries(module.variables)
    .filter(([, body]) => !('default' in body))
    .map(([name]) => name);
  const plan = commands[dir === 'infra/gcp' ? 'gcp' : 'aws']!.find((block) => block.id === 'terraform')!.text;
  for (const name of required) expect(plan).toContain(`${name}=`);
});

it("prints one cloud's blocks from the command line, and refuses an unknown cloud", async () => {
  const run = promisify(execFile);
  const { stdout } = await run(process.execPath, [SCRIPT, 'gcp']);
  expect(stdout).toContain('# gcp: gcloud\n');
  expect(stdout).not.toContain('# aws:');
  await expect(run(process.execPath, [SCRIPT, 'heroku'])).rejects.toMatchObject({
    code: 2,
    stderr: 'unknown cloud "heroku" (clouds: aws, azure, gcp, twilio)\n',
  });
});

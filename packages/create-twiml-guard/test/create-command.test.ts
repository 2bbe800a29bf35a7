/**
 * `create-twiml-guard` as `npm create` runs it: bundled from the sources with esbuild and executed by
 * node as a child process whose stdin is a pipe (not a terminal: nothing may be asked); and the
 * interactive path through terminal streams.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { runCreate } from 'create-twiml-guard';
import { bundleCli, type CliRun, runCli as runBundledCli } from '@twiml-guard/test-support/node-cli';
import { makeFakeTemplates } from '@twiml-guard/test-support/fake-template';

let workDir: string;
let templatesDir: string;
let cliPath: string;

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'create-twiml-guard-'));
  templatesDir = makeFakeTemplates();
  cliPath = await bundleCli(join(__dirname, '../src/cli.ts'), workDir);
});

afterAll(() => {
  rmSync(workDir, { recursive: true, force: true });
  rmSync(templatesDir, { recursive: true, force: true });
});

function runCli(args: string[]): Promise<CliRun> {
  // The input holds answers a prompt would read: they must be ignored, not taken.
  return runBundledCli(cliPath, args, { cwd: workDir, env: { TWIML_GUARD_TEMPLATES_DIR: templatesDir }, input: '1\n1\nfrom-stdin\n' });
}

describe('create-twiml-guard, not on a terminal', () => {
  it('creates the project from flags and prints the next steps for that cloud', async () => {
    const run = await runCli(['my-sms', '--template', 'hello-sms', '--cloud', 'aws']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Created ${join(workDir, 'my-sms')}: hello-sms on AWS Lambda`);
    expect(run.stdout).toContain('Next steps:\n  cd my-sms\n  npm install\n  npm run build\n  npx serverless deploy\n');
    expect(JSON.parse(readFileSync(join(workDir, 'my-sms/package.json'), 'utf8')).name).toBe('my-sms');
  });

  it.each([
    [['only-dir'], 'missing --template, --cloud'],
    [['--template', 'hello-sms', '--cloud', 'gcp'], 'missing <dir>'],
    [[], 'missing --template, --cloud, <dir>'],
  ])('%j fails with the usage and exit 2 instead of asking', async (args, message) => {
    const run = await runCli(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`create-twiml-guard: ${message} (not a terminal, so nothing is asked)`);
    expect(run.stderr).toContain(
      'Usage: npm create twiml-guard@latest <dir> -- --template <name> --cloud <aws|azure|gcp|twilio|cloudflare>',
    );
    expect(existsSync(join(workDir, 'from-stdin'))).toBe(false);
  });

  it.each([
    [['x', '--template', 'nope', '--cloud', 'aws'], 'unknown template "nope" (templates: hello-sms)'],
    [['x', '--template', 'hello-sms', '--cloud', 'heroku'], 'unknown cloud "heroku" (clouds: aws, azure, gcp, twilio, cloudflare)'],
    [['x', '--tempalte', 'hello-sms'], "Unknown option '--tempalte'"],
    // `twiml-guard new` refuses a repeated flag too: neither takes the last one silently.
    [['x', '--template', 'hello-sms', '--cloud', 'aws', '--cloud', 'gcp'], '--cloud given twice'],
    [['x', '--template', 'hello-sms', '--template=hello-sms', '--cloud', 'aws'], '--template given twice'],
  ])('%j is a usage error (exit 2)', async (args, message) => {
    const run = await runCli(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
  });

  it('a cloud the template lacks, or a non-empty directory, fails with exit 1 and says why', async () => {
    const lacking = await runCli(['y', '--template', 'hello-sms', '--cloud', 'azure']);
    expect([lacking.code, lacking.stderr.trim()]).toEqual([
      1,
      'create-twiml-guard: Template "hello-sms" has no azure variant (it has: aws, gcp).',
    ]);
    await runCli(['z', '--template', 'hello-sms', '--cloud', 'gcp']);
    const again = await runCli(['z', '--template', 'hello-sms', '--cloud', 'gcp']);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/z already exists and is not empty\.\n$/);
  });

  it('a repeated flag creates nothing', async () => {
    await runCli(['twice', '--template', 'hello-sms', '--cloud', 'aws', '--cloud', 'gcp']);
    expect(existsSync(join(workDir, 'twice'))).toBe(false);
  });

  it('--help exits 0 with the usage', async () => {
    const run = await runCli(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Usage: npm create twiml-guard@latest');
  });
});

describe('create-twiml-guard on a terminal', () => {
  it('asks for the template, the cloud and the directory, then creates it', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    let shown = '';
    output.setEncoding('utf8').on('data', (chunk: string) => (shown += chunk));
    const printed: string[] = [];
    // Typed ahead in one go: one readline interface keeps every answer.
    input.write('hello-sms\n9\n2\n\n');
    const code = await runCreate([], {
      out: (text) => printed.push(text),
      err: (text) => printed.push(text),
      cwd: workDir,
      env: { TWIML_GUARD_TEMPLATES_DIR: templatesDir },
      terminal: { input, output },
    });
    expect(code).toBe(0);
    expect(shown).toContain('Which template?\n  1) hello-sms\n> ');
    expect(shown).toContain('Which cloud?\n  1) aws\n  2) gcp\n> ');
    expect(shown).toContain('Answer with a number from 1 to 2, or a name from the list.');
    expect(shown).toContain('Directory for the project? (my-hello-sms) ');
    expect(existsSync(join(workDir, 'my-hello-sms/src/functions/hi.ts'))).toBe(true);
    expect(printed.join('\n')).toContain('cd my-hello-sms\n');
  });

  it('asks only for what the flags left out, and stops cleanly when input ends', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    output.resume();
    input.end('');
    const printed: string[] = [];
    await expect(
      runCreate(['--cloud', 'aws'], {
        out: (text) => printed.push(text),
        err: (text) => printed.push(text),
        cwd: workDir,
        env: { TWIML_GUARD_TEMPLATES_DIR: templatesDir },
        terminal: { input, output },
      }),
    ).rejects.toThrow('input ended before every question was answered');
  });
});

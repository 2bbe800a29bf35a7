/** The CLI as users run it: bundled with esbuild, executed by node as a child process. */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signTwilioRequest, smsPreset } from '@twiml-guard/testing';
import { bundleCli, type CliRun, runCli as runBundledCli } from '@twiml-guard/test-support/node-cli';
import { makeFakeTemplates } from '@twiml-guard/test-support/fake-template';
import { startServer, TWIML, type Answer, type LocalServer } from './local-server.js';
import { decodeForm, twilioAccepts } from './oracle.js';

const TOKEN = randomBytes(16).toString('hex');
let workDir: string;
let cliPath: string;
let server: LocalServer | undefined;
/** Everything any CLI run printed, checked for secrets at the end. */
const printed: string[] = [];
const signatures: string[] = [];

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'twiml-guard-cli-'));
  cliPath = await bundleCli(join(__dirname, '../src/cli.ts'), workDir);
});

afterEach(async () => {
  await server?.close();
  server = undefined;
});

afterAll(() => {
  const all = printed.join('\n');
  expect(all).not.toContain(TOKEN);
  for (const signature of signatures) expect(all).not.toContain(signature);
  rmSync(workDir, { recursive: true, force: true });
});

async function runCli(args: string[], options: { env?: Record<string, string>; input?: string } = {}): Promise<CliRun> {
  const run = await runBundledCli(cliPath, args, { cwd: workDir, ...options });
  printed.push(run.stdout, run.stderr);
  return run;
}

function validatingServer(): Promise<LocalServer> {
  return startServer((request, base): Answer => {
    const signature = request.headers['x-twilio-signature'];
    if (typeof signature === 'string') signatures.push(signature);
    return twilioAccepts(request, base, TOKEN)
      ? { status: 200, headers: { 'content-type': 'text/xml; charset=utf-8', 'x-handled-by': 'test' }, body: TWIML }
      : { status: 403, headers: { 'content-type': 'text/plain' }, body: 'Twilio Request Validation Failed.' };
  });
}

describe('twiml-guard help and usage', () => {
  it('--help exits 0 and lists the commands', async () => {
    const run = await runCli(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Usage: twiml-guard <command>/);
    expect(run.stdout).toMatch(/send <url>[\s\S]*diagnose[\s\S]*new <template>/);
  });

  it('stops quietly when the reader of its output has gone (| head)', async () => {
    const child = spawn(process.execPath, [cliPath, 'sign', 'https://example.com/sms', '--param', 'Body=hi'], {
      env: { PATH: process.env.PATH ?? '', TWILIO_AUTH_TOKEN: TOKEN },
      cwd: workDir,
    });
    // Closed before the child has started: its first write to stdout fails with EPIPE.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    printed.push(stderr);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  });

  it.each(['send', 'diagnose', 'new'])('%s --help exits 0', async (command) => {
    const run = await runCli([command, '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Usage: twiml-guard ${command}`);
  });

  it('an unknown command exits non-zero with one line', async () => {
    const run = await runCli(['deploy']);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain('unknown command "deploy"');
  });

  it('an unknown option exits non-zero with one line', async () => {
    const run = await runCli(['send', 'http://127.0.0.1:1/x', '--token', 'abc']);
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe('twiml-guard send: unknown option --token (see twiml-guard send --help)');
  });
});

describe('twiml-guard send', () => {
  it('signs with the token from the environment and prints status, headers and TwiML', async () => {
    server = await validatingServer();
    const run = await runCli(['send', `${server.base}/sms`, '--param', 'Body=Hello there', '--param', 'Tag=a', '--param', 'Tag=b'], {
      env: { TWILIO_AUTH_TOKEN: TOKEN },
    });
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n')[0]).toBe('HTTP 200');
    expect(run.stdout).toContain('x-handled-by: test');
    expect(run.stdout).toContain(TWIML);
    expect(run.stderr).toContain(`POST ${server.base}/sms`);
    const fields = decodeForm(server.requests[0]?.body.toString('utf8') ?? '');
    expect(fields).toMatchObject({ Body: 'Hello there', Tag: ['a', 'b'], SmsStatus: 'received' });
  });

  it('reads the token from another variable or from stdin', async () => {
    server = await validatingServer();
    const fromEnv = await runCli(['send', `${server.base}/sms`, '--token-env', 'MY_TOKEN'], { env: { MY_TOKEN: TOKEN } });
    expect(fromEnv.code).toBe(0);
    const fromStdin = await runCli(['send', `${server.base}/sms`, '--token-stdin'], { input: `${TOKEN}\n` });
    expect(fromStdin.code).toBe(0);
    expect(fromStdin.stdout).toContain('HTTP 200');
  });

  it('fails with one line when the token variable is missing', async () => {
    const run = await runCli(['send', 'http://127.0.0.1:9/sms']);
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe('twiml-guard send: TWILIO_AUTH_TOKEN is not set (put the auth token in it, or use --token-stdin)');
  });

  it('--forge gets a 403 from a validating server and exits non-zero', async () => {
    server = await validatingServer();
    const run = await runCli(['send', `${server.base}/sms`, '--forge']);
    expect(run.code).toBe(1);
    expect(run.stdout.split('\n')[0]).toBe('HTTP 403');
    expect(run.stderr).toContain('the webhook answered 403');
    expect(server.requests).toHaveLength(1);
  });

  it('sends presets, GET and JSON', async () => {
    server = await validatingServer();
    const env = { TWILIO_AUTH_TOKEN: TOKEN };
    expect(
      (await runCli(['send', `${server.base}/voice`, '--preset', 'gather', '--param', 'Digits=42', '--method', 'GET'], { env })).code,
    ).toBe(0);
    expect(server.requests[0]?.target).toMatch(/^\/voice\?.*Digits=42/);
    expect((await runCli(['send', `${server.base}/studio`, '--json', '{"a": 1}'], { env })).code).toBe(0);
    expect(server.requests[1]?.body.toString('utf8')).toBe('{"a": 1}');
    writeFileSync(join(workDir, 'body.json'), '{"b":2}\n');
    expect((await runCli(['send', `${server.base}/studio`, '--json-file', 'body.json'], { env })).code).toBe(0);
    expect(server.requests[2]?.body.toString('utf8')).toBe('{"b":2}\n');
    expect((await runCli(['send', `${server.base}/studio`, '--preset', 'studio-json'], { env })).code).toBe(0);
    expect(JSON.parse(server.requests[3]?.body.toString('utf8') ?? '')).toHaveProperty('FlowSid');
  });

  it('does the Basic auth dance without printing the password', async () => {
    const password = 'hunter2-secret';
    server = await startServer((request, base) => {
      if (request.headers.authorization !== `Basic ${Buffer.from(`u:${password}`).toString('base64')}`)
        return { status: 401, headers: { 'www-authenticate': 'Basic realm="t"' } };
      return twilioAccepts(request, base, TOKEN) ? { status: 200, body: TWIML } : { status: 403 };
    });
    const run = await runCli(['send', `http://u:${password}@127.0.0.1:${server.port}/sms`], { env: { TWILIO_AUTH_TOKEN: TOKEN } });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('2 attempts');
    expect(run.stdout + run.stderr).not.toContain(password);
  });

  it('fails with one line when the server cannot be reached', async () => {
    const closed = await startServer(() => ({ status: 200 }));
    await closed.close();
    const run = await runCli(['send', `${closed.base}/sms`], { env: { TWILIO_AUTH_TOKEN: TOKEN } });
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe(`twiml-guard send: could not reach ${closed.base}/sms: ECONNREFUSED`);
  });

  it.each([
    [['--preset', 'fax'], /unknown preset "fax"/],
    [['--json', '{nope'], /not valid JSON/],
    [['--json', '{}', '--param', 'A=1'], /drop --preset and --param/],
    [['--param', 'novalue'], /--param expects NAME=VALUE/],
    [['--method', 'PUT'], /GET or POST/],
  ])('refuses %j with usage exit 2', async (args, message) => {
    const run = await runCli(['send', 'http://127.0.0.1:9/sms', ...args], { env: { TWILIO_AUTH_TOKEN: TOKEN } });
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(message);
  });
});

describe('twiml-guard diagnose', () => {
  function captured(signedUrl: string) {
    const request = signTwilioRequest({ url: signedUrl, params: smsPreset({ Body: 'It works' }), authToken: TOKEN });
    signatures.push(request.headers['X-Twilio-Signature'] as string);
    return request;
  }

  it('names the variant that matches and exits 0', async () => {
    const request = captured('https://example.com/sms');
    const run = await runCli(
      [
        'diagnose',
        '--url',
        'https://example.com:443/sms',
        '--header',
        `X-Twilio-Signature: ${request.headers['X-Twilio-Signature']}`,
        '--body',
        request.body,
      ],
      { env: { TWILIO_AUTH_TOKEN: TOKEN } },
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('MATCH: the signature matches URL variant "without-port": https://example.com/sms');
  });

  it('explains the near miss when the request was signed for https but captured as http', async () => {
    const request = captured('https://example.com/sms');
    writeFileSync(join(workDir, 'body.txt'), request.body);
    const run = await runCli(
      [
        'diagnose',
        '--url',
        'http://example.com/sms',
        '--header',
        `x-twilio-signature:${request.headers['X-Twilio-Signature']}`,
        '--body-file',
        'body.txt',
      ],
      { env: { TWILIO_AUTH_TOKEN: TOKEN } },
    );
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('NO MATCH');
    expect(run.stdout).toContain('NEAR MISS: the signature matches https://example.com/sms');
    expect(run.stdout).toContain('https instead of http');
    expect(run.stderr.trim()).toBe('twiml-guard diagnose: the signature matches a different URL (see NEAR MISS)');
  });

  it('tries a stage given with --prefix and tokens from several variables', async () => {
    const request = captured('https://gw.example.com/live/sms');
    const run = await runCli(
      [
        'diagnose',
        '--url',
        'https://gw.example.com/sms',
        '--header',
        `X-Twilio-Signature: ${request.headers['X-Twilio-Signature']}`,
        '--body',
        request.body,
        '--prefix',
        'live',
        '--token-env',
        'OLD',
        '--token-env',
        'NEW',
      ],
      { env: { OLD: 'old-token-value', NEW: TOKEN } },
    );
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('with a "/live" path prefix');
  });

  it('says so when the signature header is missing', async () => {
    const run = await runCli(['diagnose', '--url', 'https://example.com/sms', '--body', 'A=1'], { env: { TWILIO_AUTH_TOKEN: TOKEN } });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('NO MATCH: the request has no X-Twilio-Signature header.');
  });

  it('needs exactly one body option', async () => {
    const run = await runCli(['diagnose', '--url', 'https://example.com/sms'], { env: { TWILIO_AUTH_TOKEN: TOKEN } });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('exactly one of --body or --body-file');
  });
});

describe('twiml-guard new', () => {
  it('scaffolds from the templates folder named by TWIML_GUARD_TEMPLATES_DIR', async () => {
    const templatesDir = makeFakeTemplates();
    try {
      const run = await runCli(['new', 'hello-sms', '--cloud', 'aws', 'my-bot'], { env: { TWIML_GUARD_TEMPLATES_DIR: templatesDir } });
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('Created');
      expect(run.stdout).toContain('Next: cd my-bot && npm install');
      // One cloud, flattened into the project root (create-twiml-guard's scaffolder).
      expect(run.stdout).toContain('Then deploy: npx serverless deploy');
      expect(existsSync(join(workDir, 'my-bot/serverless.yml'))).toBe(true);
      expect(existsSync(join(workDir, 'my-bot/aws'))).toBe(false);
      expect(existsSync(join(workDir, 'my-bot/gcp'))).toBe(false);
      const version = JSON.parse(readFileSync(join(__dirname, '../package.json'), 'utf8')).version as string;
      expect(JSON.parse(readFileSync(join(workDir, 'my-bot/package.json'), 'utf8')).dependencies['@twiml-guard/aws-lambda']).toBe(
        `^${version}`,
      );

      const again = await runCli(['new', 'hello-sms', '--cloud', 'aws', 'my-bot', '--templates-dir', templatesDir]);
      expect(again.code).toBe(1);
      expect(again.stderr.trim()).toMatch(/^twiml-guard new: .*my-bot already exists and is not empty\.$/);

      const missing = await runCli(['new', 'nope', '--cloud', 'gcp', 'other', '--templates-dir', templatesDir]);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain('(available: hello-sms)');
    } finally {
      rmSync(templatesDir, { recursive: true, force: true });
    }
  });

  it('needs a known --cloud', async () => {
    const run = await runCli(['new', 'hello-sms', '--cloud', 'heroku', 'x']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('unknown cloud "heroku"');
  });
});

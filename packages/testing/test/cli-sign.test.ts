/**
 * `twiml-guard sign`, `send --dry-run` and the plain-http hint, as users run them: the CLI bundled
 * with esbuild and executed by node, the printed curl command run by a real shell and a real curl.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import twilio from 'twilio';
import { bundleCli, type CliRun, runCli as runBundledCli } from '@twiml-guard/test-support/node-cli';
import { startServer, TWIML, type LocalServer } from './local-server.js';
import { decodeForm, twilioAccepts } from './oracle.js';

const TOKEN = randomBytes(16).toString('hex');
let workDir: string;
let cliPath: string;
let server: LocalServer | undefined;
const printed: string[] = [];

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'twiml-guard-cli-sign-'));
  cliPath = await bundleCli(join(__dirname, '../src/cli.ts'), workDir);
});

afterEach(async () => {
  await server?.close();
  server = undefined;
});

afterAll(() => {
  expect(printed.join('\n')).not.toContain(TOKEN);
  rmSync(workDir, { recursive: true, force: true });
});

async function runCli(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  const run = await runBundledCli(cliPath, args, { cwd: workDir, env });
  printed.push(run.stdout, run.stderr);
  return run;
}

function validatingServer(): Promise<LocalServer> {
  return startServer((request, base) =>
    twilioAccepts(request, base, TOKEN)
      ? { status: 200, headers: { 'content-type': 'text/xml; charset=utf-8' }, body: TWIML }
      : { status: 403, headers: { 'content-type': 'text/plain' }, body: 'Twilio Request Validation Failed.' },
  );
}

/** The curl command of `sign`'s output: everything after the blank line. */
function curlOf(stdout: string): string {
  const at = stdout.indexOf('\ncurl ');
  expect(at).toBeGreaterThan(-1);
  return stdout.slice(at + 1);
}

async function runInShell(command: string): Promise<string> {
  const { stdout } = await promisify(execFile)('sh', ['-c', command], { cwd: workDir });
  return stdout;
}

describe('twiml-guard sign', () => {
  it('prints the signature twilio computes and a curl command the function accepts', async () => {
    server = await validatingServer();
    const url = `${server.base}/sms`;
    const run = await runCli(
      ['sign', url, '--param', 'From=+15551230000', '--param', "Body=It's me & you", '--param', 'MediaUrl0=a', '--param', 'MediaUrl0=b'],
      { TWILIO_AUTH_TOKEN: TOKEN },
    );
    expect(run.code).toBe(0);
    const expected = twilio.getExpectedTwilioSignature(TOKEN, url, { From: '+15551230000', Body: "It's me & you", MediaUrl0: ['a', 'b'] });
    expect(run.stdout.split('\n').slice(0, 2)).toEqual([`X-Twilio-Signature: ${expected}`, `Signed URL: ${url}`]);

    const response = await runInShell(curlOf(run.stdout));
    expect(response).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(response).toContain('<Message>Thanks!</Message>');
    expect(server.requests).toHaveLength(1);
    expect(decodeForm(server.requests[0]!.body.toString('utf8'))).toEqual({
      From: '+15551230000',
      Body: "It's me & you",
      MediaUrl0: ['a', 'b'],
    });
  });

  it('--json FILE: signs the URL with bodySHA256 and the curl sends the file byte for byte', async () => {
    server = await validatingServer();
    const text = '{ "Body": "from a flow",\n  "n": 1 }';
    writeFileSync(join(workDir, 'studio.json'), text);
    const run = await runCli(['sign', `${server.base}/studio`, '--json', 'studio.json'], { TWILIO_AUTH_TOKEN: TOKEN });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Signed URL: ${server.base}/studio?bodySHA256=`);
    expect(await runInShell(curlOf(run.stdout))).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(server.requests[0]!.body.toString('utf8')).toBe(text);
  });

  it('the curl sends the URL exactly as signed: no curl globbing of {a,b} or [1-2], no dot-segment folding, no shell expansion', async () => {
    server = await validatingServer();
    const marker = join(workDir, 'executed');
    for (const path of ['/sms?pick={a,b}&range=[1-2]', '/hooks/../sms', '/./sms']) {
      server.requests.length = 0;
      const url = `${server.base}${path}`;
      const body = `$(touch ${marker})\`touch ${marker}\`"; touch ${marker}'\n--data @/etc/passwd`;
      const run = await runCli(['sign', url, '--param', `Body=${body}`], { TWILIO_AUTH_TOKEN: TOKEN });
      expect(run.code).toBe(0);
      const response = await runInShell(curlOf(run.stdout));
      expect(server.requests.map((request) => request.target)).toEqual([path]);
      expect(response).toMatch(/^HTTP\/1\.1 200 OK/);
      expect(decodeForm(server.requests[0]!.body.toString('utf8'))).toEqual({ Body: body });
    }
    expect(existsSync(marker)).toBe(false);
  });

  it('--json FILE over the 128 KiB a single argument may hold: the curl sends the file itself, and a quote in its name is safe', async () => {
    server = await validatingServer();
    const text = JSON.stringify({ Body: 'x'.repeat(200_000), note: "it's ü" });
    writeFileSync(join(workDir, "big flow's.json"), text);
    const run = await runCli(['sign', `${server.base}/studio`, '--json', "big flow's.json"], { TWILIO_AUTH_TOKEN: TOKEN });
    expect(run.code).toBe(0);
    expect(run.stdout.length).toBeLessThan(2_000);
    expect(await runInShell(curlOf(run.stdout))).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(server.requests[0]!.body.toString('utf8')).toBe(text);
  });

  it('--json FILE that is not what Twilio sends: a BOM, bytes that are not UTF-8, broken JSON, a missing file: one line each', async () => {
    writeFileSync(join(workDir, 'bom.json'), '\uFEFF{"a":1}');
    writeFileSync(join(workDir, 'latin1.json'), Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]));
    writeFileSync(join(workDir, 'broken.json'), '{"a":1');
    const expected: Array<[string, number, string]> = [
      [
        'bom.json',
        2,
        'twiml-guard sign: bom.json starts with a byte order mark (BOM): Twilio sends none; save the file as UTF-8 without BOM (see twiml-guard sign --help)',
      ],
      ['latin1.json', 2, 'twiml-guard sign: latin1.json is not UTF-8 text (see twiml-guard sign --help)'],
      ['broken.json', 2, 'twiml-guard sign: broken.json is not valid JSON (see twiml-guard sign --help)'],
      ['missing.json', 1, `twiml-guard sign: cannot read ${join(workDir, 'missing.json')}`],
    ];
    for (const [file, code, message] of expected) {
      const run = await runCli(['sign', 'https://example.com/studio', '--json', file], { TWILIO_AUTH_TOKEN: TOKEN });
      expect([run.code, run.stderr.trim(), run.stdout]).toEqual([code, message, '']);
    }
  });

  it('a URL with a space, tab or newline (no client sends it raw): a usage error instead of a signature', async () => {
    for (const [url, position] of [
      ['https://example.com/s ms', 22],
      ['https://example.com/sms\nid', 24],
      ['https://example.com/\tsms', 21],
    ] as const) {
      const run = await runCli(['sign', url, '--param', 'Body=hi'], { TWILIO_AUTH_TOKEN: TOKEN });
      expect([run.code, run.stdout, run.stderr.trim()]).toEqual([
        2,
        '',
        `twiml-guard sign: the URL holds a space or control character at position ${position}: percent-encode it (a space is %20) (see twiml-guard sign --help)`,
      ]);
    }
  });

  it('takes the token from TWILIO_AUTH_TOKEN only: without it, a one-line failure; no flag carries it', async () => {
    const missing = await runCli(['sign', 'https://example.com/sms', '--param', 'Body=hi']);
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim()).toBe(
      'twiml-guard sign: TWILIO_AUTH_TOKEN is not set: put the auth token in it (read -rs TWILIO_AUTH_TOKEN && export TWILIO_AUTH_TOKEN)',
    );
    for (const flag of ['--token', '--auth-token', '--token-env']) {
      const run = await runCli(['sign', 'https://example.com/sms', flag, 'X'], { TWILIO_AUTH_TOKEN: TOKEN });
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`unknown option ${flag}`);
    }
  });

  it('--param and --json together is a usage error', async () => {
    writeFileSync(join(workDir, 'x.json'), '{}');
    const run = await runCli(['sign', 'https://example.com/sms', '--param', 'A=1', '--json', 'x.json'], { TWILIO_AUTH_TOKEN: TOKEN });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--json replaces the body; drop --preset and --param');
  });
});

describe('the auth token and URL secrets stay off the terminal', () => {
  it('--token-env given the token itself instead of a variable name: a usage error that does not repeat it', async () => {
    for (const args of [
      ['send', 'http://127.0.0.1:9/sms', '--token-env', TOKEN],
      ['diagnose', '--url', 'https://h.example.com/sms', '--body', '', '--header', 'X-Twilio-Signature: x', '--token-env', TOKEN],
    ]) {
      const run = await runCli(args);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('--token-env takes the NAME of an environment variable');
      expect(run.stdout + run.stderr).not.toContain(TOKEN);
    }
  });

  it('diagnose prints the URLs it tried without the password of user:pass@ or an Azure function key', async () => {
    const signed = await runCli(['sign', 'https://h.example.com/dev/sms?code=fnKey123', '--param', 'Body=hi'], {
      TWILIO_AUTH_TOKEN: TOKEN,
    });
    const signature = /^X-Twilio-Signature: (.+)$/m.exec(signed.stdout)![1]!;
    const run = await runCli(
      ['diagnose', '--url', 'https://h.example.com/sms?code=fnKey123', '--header', `X-Twilio-Signature: ${signature}`, '--body', 'Body=hi'],
      { TWILIO_AUTH_TOKEN: TOKEN },
    );
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('NEAR MISS: the signature matches https://h.example.com/dev/sms?code=REDACTED');
    expect(run.stdout).toContain('  as-received: https://h.example.com/sms?code=REDACTED');
    const withPassword = await runCli(
      [
        'diagnose',
        '--url',
        'https://twilio:s3cretPass@h.example.com/sms',
        '--header',
        `X-Twilio-Signature: ${signature}`,
        '--body',
        'Body=hi',
      ],
      { TWILIO_AUTH_TOKEN: TOKEN },
    );
    expect(withPassword.stdout).toContain('  as-received: https://h.example.com/sms');
    expect(run.stdout + run.stderr + withPassword.stdout + withPassword.stderr).not.toMatch(/fnKey123|s3cretPass/);
  });
});

describe('twiml-guard send --dry-run', () => {
  it('prints the request it would send and sends nothing', async () => {
    server = await validatingServer();
    const url = `${server.base}/sms`;
    const run = await runCli(['send', url, '--param', 'Body=hello world', '--idempotency-token', 'idem-1', '--dry-run'], {
      TWILIO_AUTH_TOKEN: TOKEN,
    });
    expect(run.code).toBe(0);
    expect(server.requests).toHaveLength(0);
    expect(run.stderr.trim()).toBe('dry run: nothing sent');
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe(`POST ${url}`);
    const body = lines[lines.indexOf('') + 1] ?? '';
    expect(body).toContain('Body=hello+world');
    const signature = lines.find((line) => line.startsWith('X-Twilio-Signature: '))!.slice('X-Twilio-Signature: '.length);
    expect(twilio.validateRequest(TOKEN, signature, url, decodeForm(body))).toBe(true);
    expect(lines).toEqual(
      expect.arrayContaining([
        'I-Twilio-Idempotency-Token: idem-1',
        'User-Agent: TwilioProxy/1.1',
        'Content-Type: application/x-www-form-urlencoded; charset=utf-8',
      ]),
    );
  });

  it('an Authorization header given with --header: its scheme is printed, its credentials are not', async () => {
    const run = await runCli(['send', 'https://h.example.com/sms', '--header', 'Authorization: Basic dHdpbGlvOnMzY3JldA==', '--dry-run'], {
      TWILIO_AUTH_TOKEN: TOKEN,
    });
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n')).toContain('Authorization: Basic (credentials hidden)');
    expect(run.stdout).not.toContain('dHdpbGlvOnMzY3JldA==');
  });
});

describe('twiml-guard send https:// to a plain-http server', () => {
  it('says the server speaks plain HTTP and gives the http:// URL', async () => {
    server = await validatingServer();
    const https = `https://127.0.0.1:${server.port}/sms`;
    const run = await runCli(['send', https], { TWILIO_AUTH_TOKEN: TOKEN });
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe(
      `twiml-guard send: could not reach ${https}: ERR_SSL_WRONG_VERSION_NUMBER (the server answered plain HTTP, not TLS: local emulators serve http://, so use http://127.0.0.1:${server.port}/sms)`,
    );
  });
});

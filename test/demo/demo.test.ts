/**
 * `npm start` end to end: runs `node scripts/demo.mjs` (the script `npm start` runs after the build)
 * as a child process, with the four real runtimes, and reads its table. Then a broken setup (the
 * simulator signs with another token than the runtimes check) must fail the demo, and `--keep` must
 * leave working runtimes that the printed `twiml-guard send` commands reach, until Ctrl-C stops them.
 * After every run, the ports the demo reported are closed again: it stopped what it started.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';

const root = join(__dirname, '../..');
const demoScript = join(root, 'scripts/demo.mjs');
const cli = join(root, 'packages/testing/dist/cli.cjs');
/** The runtimes' token for these runs: from the environment, so the checkout's .env is never read or written. */
const RUNTIME_TOKEN = '5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e';
const OTHER_TOKEN = 'abababababababababababababababab';

const PLATFORMS = ['aws', 'azure', 'gcp', 'twilio'] as const;
const REQUESTS = ['signed SMS', 'forged SMS', 'Studio JSON'] as const;

interface Row {
  readonly platform: string;
  readonly request: string;
  readonly status: number | undefined;
  readonly verdict: 'ok' | 'FAIL';
  readonly what: string;
}

interface DemoRun {
  readonly child: ChildProcess;
  output: string;
  readonly exited: Promise<number | null>;
}

const runs: DemoRun[] = [];

function startDemo(args: string[], env: Record<string, string>): DemoRun {
  const child = spawn(process.execPath, [demoScript, ...args], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const run: DemoRun = { child, output: '', exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))) };
  child.stdout?.on('data', (chunk: Buffer) => (run.output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (run.output += chunk.toString('utf8')));
  runs.push(run);
  return run;
}

function waitForOutput(run: DemoRun, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = (): void => {
      if (run.output.includes(text)) {
        run.child.stdout?.off('data', check);
        resolve();
      }
    };
    run.child.stdout?.on('data', check);
    run.exited.then(() => reject(new Error(`demo exited before printing "${text}":\n${run.output}`)));
    check();
  });
}

function tableRows(output: string): Row[] {
  const rows: Row[] = [];
  for (const line of output.split('\n')) {
    const match = /^(aws|azure|gcp|twilio)\s+\| (signed SMS|forged SMS|Studio JSON)\s+\| (\d{3}|---) (ok|FAIL)[^|]*\| (.*)$/.exec(line);
    if (!match) continue;
    const [, platform, request, status, verdict, what] = match as unknown as [string, string, string, string, 'ok' | 'FAIL', string];
    rows.push({ platform, request, status: status === '---' ? undefined : Number(status), verdict, what });
  }
  return rows;
}

function row(rows: Row[], platform: string, request: string): Row {
  const found = rows.find((candidate) => candidate.platform === platform && candidate.request === request);
  if (!found) throw new Error(`no row for ${platform} / ${request}`);
  return found;
}

/** The runtime URLs the demo printed as each became ready. */
function readyUrls(output: string): Map<string, string> {
  const urls = new Map<string, string>();
  for (const match of output.matchAll(/^ {2}ready {2}(\w+)\s+[\d.]+ s {2}(\S+)$/gm)) urls.set(match[1] as string, match[2] as string);
  return urls;
}

function portAccepts(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname === 'localhost' ? '127.0.0.1' : hostname, port: Number(port) });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function expectAllStopped(urls: Map<string, string>): Promise<void> {
  expect([...urls.keys()].sort()).toEqual([...PLATFORMS].sort());
  const open = await Promise.all([...urls].map(async ([platform, url]) => ((await portAccepts(url)) ? platform : undefined)));
  expect(open.filter(Boolean)).toEqual([]);
}

beforeAll(() => {
  if (!existsSync(join(root, 'packages/testing/dist/index.mjs')) || !existsSync(cli)) {
    execFileSync(process.execPath, [join(root, 'scripts/build.mjs')], { cwd: root, stdio: 'ignore' });
  }
});

afterAll(async () => {
  // A run still going (a failed assertion, a timeout): SIGTERM lets the demo stop its runtimes first.
  for (const run of runs) {
    if (run.child.exitCode !== null || run.child.signalCode !== null) continue;
    run.child.kill('SIGTERM');
    const timer = setTimeout(() => run.child.kill('SIGKILL'), 10_000);
    await run.exited;
    clearTimeout(timer);
  }
});

test('every platform answers the signed SMS with TwiML, refuses the forged one, and handles Studio JSON; exit 0', async () => {
  const run = startDemo([], { TWILIO_AUTH_TOKEN: RUNTIME_TOKEN });
  const code = await run.exited;
  expect({ code, output: run.output }).toMatchObject({ code: 0 });

  const rows = tableRows(run.output);
  expect(rows.map((r) => `${r.platform}/${r.request}`)).toEqual(
    PLATFORMS.flatMap((platform) => REQUESTS.map((request) => `${platform}/${request}`)),
  );
  expect(rows.every((r) => r.verdict === 'ok')).toBe(true);
  for (const platform of PLATFORMS) {
    expect(row(rows, platform, 'signed SMS')).toMatchObject({
      status: 200,
      what: 'TwiML <Message>Thanks! We got your message: Hello from twiml-guard</Message>',
    });
    expect(row(rows, platform, 'forged SMS').status).toBe(403);
    expect(row(rows, platform, 'forged SMS').what).not.toContain('Response');
  }
  for (const platform of ['aws', 'azure', 'gcp']) {
    expect(row(rows, platform, 'Studio JSON')).toMatchObject({
      status: 200,
      what: '{"reply":"Thanks! We got your message: Hello from Studio"}',
    });
  }
  // The Twilio Runtime keeps no raw JSON body, so the adapter refuses it rather than guess (its README).
  expect(row(rows, 'twilio', 'Studio JSON').status).toBe(415);
  expect(run.output).toContain('all 12 answers as expected');
  expect(run.output).toContain('auth token: TWILIO_AUTH_TOKEN from the environment');
  expect(run.output).not.toContain(RUNTIME_TOKEN);
  await expectAllStopped(readyUrls(run.output));
}, 90_000);

test('a wrong token on the sending side makes every signed request fail and the demo exit non-zero', async () => {
  const run = startDemo([], { TWILIO_AUTH_TOKEN: RUNTIME_TOKEN, TWIML_GUARD_DEMO_SENDER_TOKEN: OTHER_TOKEN });
  const code = await run.exited;
  expect({ code, output: run.output }).toMatchObject({ code: 1 });

  const rows = tableRows(run.output);
  expect(rows).toHaveLength(12);
  for (const platform of PLATFORMS) {
    expect(row(rows, platform, 'signed SMS')).toMatchObject({ status: 403, verdict: 'FAIL' });
    expect(row(rows, platform, 'forged SMS')).toMatchObject({ status: 403, verdict: 'ok' });
  }
  for (const platform of ['aws', 'azure', 'gcp'])
    expect(row(rows, platform, 'Studio JSON')).toMatchObject({ status: 403, verdict: 'FAIL' });
  expect(run.output).toMatch(/\d+ of 12 answers NOT as expected/);
  // The runtimes' own log lines say why, and never print a token.
  expect(run.output).toContain('signature does not match');
  expect(run.output).not.toContain(RUNTIME_TOKEN);
  expect(run.output).not.toContain(OTHER_TOKEN);
  await expectAllStopped(readyUrls(run.output));
}, 90_000);

test('--keep leaves the runtimes up for the printed twiml-guard send commands; Ctrl-C stops them', async () => {
  const run = startDemo(['--keep'], { TWILIO_AUTH_TOKEN: RUNTIME_TOKEN });
  await waitForOutput(run, 'runtime logs follow:');
  const urls = readyUrls(run.output);

  const commands = [...run.output.matchAll(/^ {2}node (\S+) send (\S+) --preset sms --param Body='Hello there'$/gm)];
  expect(commands.map((match) => match[2])).toEqual(PLATFORMS.map((platform) => urls.get(platform)));
  expect(run.output).not.toContain(RUNTIME_TOKEN);
  for (const [, , url] of commands) {
    // Exactly as printed, with the token only in the environment.
    const answer = execFileSync(process.execPath, [cli, 'send', url as string, '--preset', 'sms', '--param', 'Body=Hello there'], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', TWILIO_AUTH_TOKEN: RUNTIME_TOKEN },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    expect(answer).toContain('HTTP 200');
    expect(answer).toContain('<Message>Thanks! We got your message: Hello there</Message>');
  }

  run.child.kill('SIGINT');
  expect(await run.exited).toBe(0);
  expect(run.output).toContain('SIGINT: stopping the runtimes');
  await expectAllStopped(urls);
}, 90_000);

/**
 * scripts/rotate-twilio-functions.mjs killed with SIGKILL at every state change it makes (each
 * variable write and each Twilio AuthTokens call, after Twilio applied it and before the answer
 * arrives) and during both waits, then rerun: the rerun resumes, Twilio's primary changes exactly
 * once, and at no instant is the primary outside what TWILIO_AUTH_TOKEN / TWILIO_AUTH_TOKEN_PENDING
 * hold. Also N concurrent runs: one promotion. The script runs as a user runs it (`node scripts/…`);
 * a preload only points `@twiml-guard/twilio-functions/rotation` at an esbuild bundle of the sources
 * and the `twilio` client's requests at the local fake.
 */
import { build } from 'esbuild';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { twilioWebhook, type TwilioFunctionContext } from '@twiml-guard/twilio-functions';
import twilio from 'twilio';
import { invoke, runtimeEvent, smsParams } from '../helpers.js';
import { ACCOUNT_SID, FIRST_TOKEN, collectingLogger } from '@twiml-guard/test-support/rotation-fixtures';
import { runSignedTraffic } from '@twiml-guard/test-support/signed-traffic';
import { startTwilioAccountsFake, type TwilioAccountsFake } from '@twiml-guard/test-support/fakes/twilio-accounts-fake';

const root = join(__dirname, '../../../..');
// Inside the repository (git-ignored), so the bundle's external `twilio` resolves from node_modules.
const dir = join(root, '.esbuild', `rotate-twilio-functions-${process.pid}`);
const script = join(root, 'scripts/rotate-twilio-functions.mjs');
const SERVICE = `ZS${'a'.repeat(32)}`;
const ENVIRONMENT = `ZE${'b'.repeat(32)}`;

let twilioFake: TwilioAccountsFake;

beforeAll(async () => {
  mkdirSync(dir, { recursive: true });
  await build({
    entryPoints: [join(root, 'packages/twilio-functions/src/rotation.ts')],
    outfile: join(dir, 'rotation.mjs'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    external: ['twilio'],
    alias: {
      '@twiml-guard/core': join(root, 'packages/core/src/index.ts'),
      '@twiml-guard/core/rotation': join(root, 'packages/core/src/rotation.ts'),
    },
    logLevel: 'error',
  });
  writeFileSync(
    join(dir, 'hooks.mjs'),
    `export async function resolve(specifier, context, next) {
  if (specifier === '@twiml-guard/twilio-functions/rotation') return { url: ${JSON.stringify(pathToFileURL(join(dir, 'rotation.mjs')).href)}, shortCircuit: true };
  return next(specifier, context);
}\n`,
  );
  writeFileSync(
    join(dir, 'preload.mjs'),
    `import { register } from 'node:module';
import twilio from 'twilio';
register(${JSON.stringify(pathToFileURL(join(dir, 'hooks.mjs')).href)});
const request = twilio.RequestClient.prototype.request;
twilio.RequestClient.prototype.request = function (options) {
  return request.call(this, { ...options, uri: options.uri.replace(/^https:\\/\\/(accounts|api|serverless)\\.twilio\\.com/, process.env.FAKE_TWILIO_URL) });
};\n`,
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeEach(async () => {
  twilioFake = await startTwilioAccountsFake(ACCOUNT_SID, FIRST_TOKEN);
  twilioFake.variables.set('TWILIO_AUTH_TOKEN', { sid: `ZV${'c'.repeat(32)}`, value: FIRST_TOKEN });
  twilioFake.checkFunctionsInvariant = true;
});
afterEach(() => twilioFake.close());

interface Run {
  readonly child: ChildProcess;
  readonly done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

/** Runs the script as an operator would after a crash: the same command, the original token, an API key. */
function runScript(waitSeconds = 0.2, graceSeconds = 0.3, onStderr?: (line: string, child: ChildProcess) => void, leaseSeconds = 1): Run {
  const child = spawn(
    process.execPath,
    [
      '--import',
      pathToFileURL(join(dir, 'preload.mjs')).href,
      script,
      '--service',
      SERVICE,
      '--environment',
      ENVIRONMENT,
      '--wait-seconds',
      String(waitSeconds),
      '--grace-seconds',
      String(graceSeconds),
      '--lease-seconds',
      String(leaseSeconds),
    ],
    {
      cwd: root,
      env: {
        PATH: process.env.PATH ?? '',
        TWILIO_ACCOUNT_SID: ACCOUNT_SID,
        TWILIO_AUTH_TOKEN: FIRST_TOKEN,
        TWILIO_API_KEY: twilioFake.apiKey.sid,
        TWILIO_API_SECRET: twilioFake.apiKey.secret,
        FAKE_TWILIO_URL: twilioFake.url,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    const text = chunk.toString('utf8');
    stderr += text;
    for (const line of text.split('\n')) if (line.trim() !== '') onStderr?.(line, child);
  });
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, done };
}

const value = (key: string) => twilioFake.variables.get(key)?.value;

function expectFinished(context: Record<string, unknown> = {}): void {
  expect({ ...context, promotions: twilioFake.primaries.length - 1 }).toEqual({ ...context, promotions: 1 });
  expect(value('TWILIO_AUTH_TOKEN')).toBe(twilioFake.primary);
  expect(value('TWILIO_AUTH_TOKEN_PENDING')).toBeUndefined();
  expect(JSON.parse(value('TWILIO_AUTH_TOKEN_ROTATION') ?? '{}')).toMatchObject({ phase: 'done', current: twilioFake.primary });
  // The previous token is gone from the environment; the record keeps only a fingerprint of it.
  expect(JSON.stringify([...twilioFake.variables.values()])).not.toContain(FIRST_TOKEN);
  expect(value('TWILIO_AUTH_TOKEN_ROTATION_LOCK')).toBeUndefined();
  expect(twilioFake.secondary).toBeUndefined();
  expect(twilioFake.functionsViolations).toEqual([]);
}

test('an uninterrupted run: the state changes it makes, in order', async () => {
  const changes: string[] = [];
  twilioFake.afterChange = (route) => void changes.push(route);
  const { code, stderr } = await runScript().done;
  expect({ code, stderr: code === 0 ? '' : stderr }).toEqual({ code: 0, stderr: '' });
  expectFinished();
  expect(changes.length).toBeGreaterThanOrEqual(10);
  expect(changes.filter((route) => route === 'POST /v1/AuthTokens/Promote')).toHaveLength(1);
});

test('killed (SIGKILL) after each state change, then rerun: it resumes, and Twilio promotes exactly once', async () => {
  // How many changes a whole run makes.
  const counting = await startTwilioAccountsFake(ACCOUNT_SID, FIRST_TOKEN);
  const total = await (async () => {
    const saved = twilioFake;
    twilioFake = counting;
    counting.variables.set('TWILIO_AUTH_TOKEN', { sid: `ZV${'c'.repeat(32)}`, value: FIRST_TOKEN });
    let changes = 0;
    counting.afterChange = () => void changes++;
    await runScript().done;
    twilioFake = saved;
    await counting.close();
    return changes;
  })();
  expect(total).toBeGreaterThanOrEqual(10);

  // Signed traffic through the twilio-functions webhook the whole time; the Runtime hands each execution the variables as they are.
  const webhook = twilioWebhook(() => '<Response/>', { logger: collectingLogger().logger });
  const DOMAIN = 'example-1234-dev.twil.io';
  const params = smsParams();
  const traffic = await runSignedTraffic({
    twilio: { signingToken: () => twilioFake.signingToken() } as TwilioAccountsFake,
    minimumLegitimate: 1_000,
    workers: 2,
    pauseMs: 5,
    sign: (token, forgedUrl) => twilio.getExpectedTwilioSignature(token, `https://${DOMAIN}/sms${forgedUrl ? '?forged=1' : ''}`, params),
    send: async (_n, signature) => {
      const context: TwilioFunctionContext = {
        DOMAIN_NAME: DOMAIN,
        PATH: '/sms',
        ACCOUNT_SID,
        ...Object.fromEntries([...twilioFake.variables].map(([key, entry]) => [key, entry.value])),
      };
      return (await invoke(webhook, context, runtimeEvent(params, { 'x-twilio-signature': signature }))).response.statusCode;
    },
    rotate: async () => {
      for (let killAt = 1; killAt <= total; killAt++) {
        await twilioFake.close();
        twilioFake = await startTwilioAccountsFake(ACCOUNT_SID, FIRST_TOKEN);
        twilioFake.variables.set('TWILIO_AUTH_TOKEN', { sid: `ZV${'c'.repeat(32)}`, value: FIRST_TOKEN });
        twilioFake.checkFunctionsInvariant = true;
        let changes = 0;
        let killedAfter = '';
        const run = runScript();
        twilioFake.afterChange = (route) => {
          if (++changes !== killAt) return undefined;
          killedAfter = route;
          run.child.kill('SIGKILL');
          return 'drop';
        };
        const killed = await run.done;
        expect({ killAt, signal: killed.signal }).toEqual({ killAt, signal: 'SIGKILL' });
        twilioFake.afterChange = undefined;
        const rerun = await runScript().done;
        expect({ killAt, killedAfter, code: rerun.code, stderr: rerun.code === 0 ? '' : rerun.stderr }).toEqual({
          killAt,
          killedAfter,
          code: 0,
          stderr: '',
        });
        expectFinished({ killAt, killedAfter });
      }
    },
  });
  expect({ refused: traffic.legitimateRefused, accepted: traffic.forgedAccepted }).toEqual({ refused: 0, accepted: 0 });
  expect(traffic.forged).toBeGreaterThan(50);
}, 120_000);

test.each([
  // 300 ms after the change that precedes each wait (1 s long): the run is asleep.
  ['the wait before Promote', 'POST Variables TWILIO_AUTH_TOKEN_PENDING', 1],
  ['the grace wait', 'POST Variables/TWILIO_AUTH_TOKEN', 2],
])('killed (SIGKILL) during %s, then rerun: it resumes without a second promotion', async (_what, before, primariesWhenKilled) => {
  const run = runScript(1, 1);
  twilioFake.afterChange = (route) => {
    if (route === before) setTimeout(() => run.child.kill('SIGKILL'), 300);
  };
  expect((await run.done).signal).toBe('SIGKILL');
  twilioFake.afterChange = undefined;
  expect(twilioFake.primaries).toHaveLength(primariesWhenKilled);
  const rerun = await runScript(1, 1).done;
  expect({ code: rerun.code, stderr: rerun.code === 0 ? '' : rerun.stderr }).toEqual({ code: 0, stderr: '' });
  expectFinished();
});

test('four concurrent runs: one rotation, one promotion, the primary always among the stored tokens', async () => {
  const runs = Array.from({ length: 4 }, () => runScript(0.2, 0.3, undefined, 5));
  const results = await Promise.all(runs.map((run) => run.done));
  expect(results.map((result) => (result.code === 0 ? 0 : result.stderr))).toEqual([0, 0, 0, 0]);
  expect(results.filter((result) => result.stdout.includes('rotation rotated'))).toHaveLength(1);
  expect(results.filter((result) => result.stdout.includes('rotation skipped'))).toHaveLength(3);
  expectFinished();
});

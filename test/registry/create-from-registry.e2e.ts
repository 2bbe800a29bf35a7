/**
 * From a registry to a function that answers, the way a user outside this repository meets it.
 * Every workspace package is packed (`npm pack`, its prepack included) and published to a real npm
 * registry (Verdaccio 6.8.0 on 127.0.0.1, its own storage, no uplink for these names). Then, in a
 * temporary folder outside the repository, with a user config whose only setting is
 * `@twiml-guard:registry`: `npm create twiml-guard@latest` (pointed at the registry for that one
 * command: the package is not on the public registry yet) for sms-auto-reply on each cloud,
 * `npm install` (everything not @twiml-guard/* from the public npm registry), `npm run build`, and
 * the result answers a request signed by the `twilio` package (200) and refuses a forged one (403):
 * AWS from the zip `serverless package` wrote, GCP on the project's Functions Framework, Twilio
 * Functions on the project's twilio-run, Azure through the project's @azure/functions objects.
 *
 * Run with `npm run test:registry` (installs from the network take minutes; not part of `npm test`).
 */
import { execFile } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, relative } from 'node:path';
import twilio from 'twilio';
import { BIND_LOOPBACK_PRELOAD } from '@twiml-guard/test-support/loopback';
import { freePort, ProcessGroup } from '../templates/support/processes.js';
import { EXECUTE_API_HOST, httpApiEvent } from '../templates/support/http-api-event.js';
import { sendTo } from '../templates/support/send-signed.js';
import { startVerdaccio, type Registry } from './support/verdaccio.js';

const ROOT = join(__dirname, '../..');
const CLOUDS = ['aws', 'azure', 'gcp', 'twilio'] as const;
type Cloud = (typeof CLOUDS)[number];
const TEMPLATE = 'sms-auto-reply';
const AUTH_TOKEN = '0a1b2c3d4e5f60718293a4b5c6d7e8f9';
const FORGED_TOKEN = 'ffffffffffffffffffffffffffffffff';
const ACCOUNT_SID = `AC${'a'.repeat(32)}`;
const STEP_TIMEOUT_MS = 8 * 60_000;

const work = mkdtempSync(join(tmpdir(), 'twiml-guard-registry-'));
const packs = join(work, 'packs');
const userDir = join(work, 'user');
const userHome = join(work, 'home');
const userConfig = join(work, 'user.npmrc');
const cache = join(work, 'npm-cache');
let registry: Registry | undefined;
const timings: string[] = [];
const processes = new ProcessGroup();

/** The environment of a user's shell: no npm_* variables of the `npm run` that started jest, no repository bin folders. */
function userEnv(extra: Record<string, string> = {}): Record<string, string> {
  const path = (process.env.PATH ?? '')
    .split(delimiter)
    .filter((entry) => !entry.startsWith(ROOT) && !entry.includes('node_modules'))
    .join(delimiter);
  return {
    PATH: path,
    HOME: userHome,
    npm_config_userconfig: userConfig,
    npm_config_cache: cache,
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
    ...(process.env.CI ? { CI: process.env.CI } : {}),
    ...extra,
  };
}

interface Step {
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs one step; on failure the error names the step and quotes the tail of its output. */
async function step(label: string, command: string, args: readonly string[], cwd: string, env: Record<string, string>): Promise<Step> {
  const started = Date.now();
  const result = await new Promise<Step & { code: number | null; error?: Error }>((resolve) => {
    execFile(command, args, { cwd, env, maxBuffer: 64 * 1024 * 1024, timeout: STEP_TIMEOUT_MS }, (error, stdout, stderr) =>
      resolve({ code: error ? ((error as Error & { code?: number }).code ?? null) : 0, stdout, stderr, ...(error ? { error } : {}) }),
    );
  });
  timings.push(`${label}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (result.error) {
    const tail = `${result.stdout}\n${result.stderr}`.trimEnd().split('\n').slice(-40).join('\n');
    throw new Error(`step "${label}" failed (${command} ${args.join(' ')} in ${cwd}, exit ${String(result.code)}):\n${tail}`);
  }
  return result;
}

beforeAll(async () => {
  mkdirSync(packs);
  mkdirSync(userDir);
  mkdirSync(userHome);
  // The same clean environment for packing: prepack scripts run as a maintainer's `npm pack` runs them.
  const maintainerEnv = { ...userEnv(), HOME: process.env.HOME ?? userHome, PATH: process.env.PATH ?? '' };
  delete (maintainerEnv as Record<string, string>).npm_config_userconfig;
  const packed = await step(
    'npm pack --workspaces',
    'npm',
    ['pack', '--workspaces', '--pack-destination', packs, '--json'],
    ROOT,
    maintainerEnv,
  );
  // A private workspace (the shared test helpers) is packed too, but never published.
  const unpublished = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { workspaces: string[] }).workspaces
    .map((folder) => JSON.parse(readFileSync(join(ROOT, folder, 'package.json'), 'utf8')) as { name: string; private?: boolean })
    .filter((manifest) => manifest.private === true)
    .map((manifest) => manifest.name);
  const manifests = (JSON.parse(packed.stdout) as { name: string; filename: string }[]).filter(
    (manifest) => !unpublished.includes(manifest.name),
  );
  registry = await startVerdaccio(
    ROOT,
    join(work, 'registry'),
    manifests.map((manifest) => manifest.name),
  );
  const publishConfig = join(work, 'publish.npmrc');
  writeFileSync(publishConfig, `//${registry.url.slice('http://'.length)}:_authToken=${registry.token}\n`, { mode: 0o600 });
  for (const { filename } of manifests) {
    // Provenance needs a CI provider's identity; a maintainer's release adds it, this registry cannot check it.
    await step(
      `npm publish ${filename}`,
      'npm',
      ['publish', join(packs, filename), '--registry', registry.url, '--provenance=false'],
      work,
      { ...userEnv(), npm_config_userconfig: publishConfig },
    );
  }
  // The user's npm config: only the scope points at the registry.
  writeFileSync(userConfig, `@twiml-guard:registry=${registry.url}\n`);
}, 5 * 60_000);

afterAll(async () => {
  await processes.stopAll();
  await registry?.stop();
  console.log(`registry e2e timings:\n  ${timings.join('\n  ')}`);
  // Four installed projects: `rm -rf` removes them several times faster than rmSync.
  await new Promise<void>((resolve) => execFile('rm', ['-rf', work], () => resolve()));
  rmSync(work, { recursive: true, force: true });
}, 5 * 60_000);

function projectDir(cloud: Cloud): string {
  return join(userDir, `my-sms-${cloud}`);
}

/** A form webhook signed by the `twilio` package (the oracle), as Twilio would send it to `url`. */
function signed(url: string, token: string): { method: 'POST'; url: string; headers: Record<string, string>; body: string } {
  const params = {
    AccountSid: ACCOUNT_SID,
    MessageSid: `SM${'1'.repeat(32)}`,
    From: '+15005550006',
    To: '+15005550001',
    Body: "Hi from the registry e2e, O'Hara & co",
  };
  return {
    method: 'POST',
    url,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': twilio.getExpectedTwilioSignature(token, url, params),
      'user-agent': 'TwilioProxy/1.1',
    },
    body: new URLSearchParams(params).toString(),
  };
}

const EXPECTED_TWIML = `<?xml version="1.0" encoding="UTF-8"?><Response><Message>Thanks! We got your message: Hi from the registry e2e, O'Hara &amp; co</Message></Response>`;

describe.each(CLOUDS)('npm create twiml-guard@latest --cloud %s, from the registry', (cloud) => {
  it(
    'creates, installs from registries only and builds',
    async () => {
      await step(
        `${cloud}: npm create`,
        'npm',
        [
          'create',
          '--yes',
          'twiml-guard@latest',
          `my-sms-${cloud}`,
          '--registry',
          registry!.url,
          '--',
          '--template',
          TEMPLATE,
          '--cloud',
          cloud,
        ],
        userDir,
        userEnv(),
      );
      const dir = projectDir(cloud);
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        dependencies?: Record<string, string>;
        devDependencies?: Record<string, string>;
        workspaces?: unknown;
      };
      const specs = { ...manifest.dependencies, ...manifest.devDependencies };
      expect(manifest.workspaces).toBeUndefined();
      for (const [name, spec] of Object.entries(specs)) {
        expect({ name, spec: /^(file|link|workspace|git|github):|^[./]/.test(spec) ? 'a local path' : 'a registry version' }).toEqual({
          name,
          spec: 'a registry version',
        });
        if (name.startsWith('@twiml-guard/')) expect({ name, spec }).toEqual({ name, spec: '^0.1.0' });
      }
      await step(`${cloud}: npm install`, 'npm', ['install'], dir, userEnv());
      // Every @twiml-guard/* came from the registry as a tarball: a real folder, resolved from the registry's URL.
      const lock = JSON.parse(readFileSync(join(dir, 'package-lock.json'), 'utf8')) as {
        packages: Record<string, { resolved?: string; link?: boolean }>;
      };
      const ours = Object.entries(lock.packages).filter(([path]) => path.includes('node_modules/@twiml-guard/'));
      expect(ours.length).toBeGreaterThan(0);
      for (const [path, entry] of ours) {
        expect({ path, link: entry.link ?? false, fromRegistry: entry.resolved?.startsWith(registry!.url) ?? false }).toEqual({
          path,
          link: false,
          fromRegistry: true,
        });
        expect(lstatSync(join(dir, path)).isSymbolicLink()).toBe(false);
      }
      const others = Object.entries(lock.packages).filter(
        ([path, entry]) => path !== '' && !path.includes('@twiml-guard/') && entry.resolved !== undefined,
      );
      for (const [path, entry] of others)
        expect({ path, resolved: entry.resolved?.startsWith('https://registry.npmjs.org/') }).toEqual({ path, resolved: true });
      await step(`${cloud}: npm run build`, 'npm', ['run', 'build'], dir, userEnv());
    },
    3 * STEP_TIMEOUT_MS,
  );

  it(
    'answers a request signed by the twilio package (200) and refuses a forged one (403)',
    async () => {
      const dir = projectDir(cloud);
      expect(existsSync(join(dir, 'node_modules'))).toBe(true);
      const answers = await answer(cloud, dir);
      expect(answers.signed).toEqual({ status: 200, contentType: 'text/xml; charset=utf-8', body: EXPECTED_TWIML });
      expect(answers.forged.status).toBe(403);
      expect(answers.forged.body).not.toContain('Thanks');
    },
    STEP_TIMEOUT_MS,
  );
});

interface Answer {
  readonly status: number;
  readonly contentType: string | null;
  readonly body: string;
}

async function answer(cloud: Cloud, dir: string): Promise<{ signed: Answer; forged: Answer }> {
  switch (cloud) {
    case 'aws':
      return answerOnLambda(dir);
    case 'azure':
      return answerOnAzure(dir);
    case 'gcp':
      return answerOnFunctionsFramework(dir);
    case 'twilio':
      return answerOnTwilioRun(dir);
  }
}

async function answerOnLambda(dir: string): Promise<{ signed: Answer; forged: Answer }> {
  const out = join(dir, '.serverless');
  // osls from the project's own devDependencies, offline: packaging needs no AWS account.
  await step(
    'aws: npx serverless package',
    'npx',
    ['serverless', 'package'],
    dir,
    userEnv({ SLS_TELEMETRY_DISABLED: '1', SLS_NOTIFICATIONS_MODE: 'off', AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'y' }),
  );
  const zip = readdirSync(out).find((name) => name.endsWith('.zip'));
  if (!zip) throw new Error(`serverless package wrote no zip in ${out}: ${readdirSync(out).join(', ')}`);
  const code = join(work, 'lambda-code');
  mkdirSync(code);
  await step('aws: unzip the package', 'unzip', ['-q', join(out, zip), '-d', code], work, userEnv());
  const url = `https://${EXECUTE_API_HOST}/sms`;
  const jobFile = join(work, 'lambda-job.json');
  const resultFile = join(work, 'lambda-results.json');
  writeFileSync(
    jobFile,
    JSON.stringify({
      handlerFile: join(code, 'index.js'),
      // Deployed, the stack sets TWILIO_AUTH_TOKEN_SECRET_ID; without it the adapter reads the variable.
      env: { TWILIO_AUTH_TOKEN: AUTH_TOKEN },
      resultFile,
      invocations: [
        { id: 'signed', event: httpApiEvent(signed(url, AUTH_TOKEN), 'POST /sms') },
        { id: 'forged', event: httpApiEvent(signed(url, FORGED_TOKEN), 'POST /sms') },
      ],
    }),
  );
  await step('aws: invoke the packaged handler', process.execPath, [join(__dirname, 'support/invoke-lambda.cjs'), jobFile], code, {
    PATH: userEnv().PATH!,
  });
  const results = JSON.parse(readFileSync(resultFile, 'utf8')) as {
    id: string;
    result: { statusCode: number; headers?: Record<string, string>; body?: string; isBase64Encoded?: boolean };
  }[];
  const toAnswer = (id: string): Answer => {
    const { result } = results.find((entry) => entry.id === id)!;
    const contentType = Object.entries(result.headers ?? {}).find(([name]) => name.toLowerCase() === 'content-type')?.[1] ?? null;
    return {
      status: result.statusCode,
      contentType,
      body: result.isBase64Encoded ? Buffer.from(result.body ?? '', 'base64').toString('utf8') : (result.body ?? ''),
    };
  };
  expect(readdirSync(code)).toEqual(['index.js']);
  return { signed: toAnswer('signed'), forged: toAnswer('forged') };
}

async function answerOnAzure(dir: string): Promise<{ signed: Answer; forged: Answer }> {
  const url = 'https://my-sms.azurewebsites.net/api/sms';
  const jobFile = join(work, 'azure-job.json');
  const resultFile = join(work, 'azure-results.json');
  const request = (id: string, token: string) => {
    const { headers, ...rest } = signed(url, token);
    return { id, ...rest, headers: { ...headers, host: 'my-sms.azurewebsites.net' } };
  };
  writeFileSync(
    jobFile,
    JSON.stringify({
      projectDir: dir,
      moduleFile: join(dir, 'dist/functions/sms.js'),
      exportName: 'sms',
      env: { TWILIO_AUTH_TOKEN: AUTH_TOKEN },
      resultFile,
      requests: [request('signed', AUTH_TOKEN), request('forged', FORGED_TOKEN)],
    }),
  );
  await step(
    'azure: call the built function with @azure/functions requests',
    process.execPath,
    [join(__dirname, 'support/invoke-azure.cjs'), jobFile],
    dir,
    { PATH: userEnv().PATH! },
  );
  const results = JSON.parse(readFileSync(resultFile, 'utf8')) as (Answer & { id: string })[];
  const pick = (id: string): Answer => {
    const { status, contentType, body } = results.find((entry) => entry.id === id)!;
    return { status, contentType, body };
  };
  return { signed: pick('signed'), forged: pick('forged') };
}

async function answerOnFunctionsFramework(dir: string): Promise<{ signed: Answer; forged: Answer }> {
  const port = await freePort();
  // The project's own Functions Framework, serving the bundle as package.json `main` names it.
  await processes.start(
    process.execPath,
    [join(dir, 'node_modules/@google-cloud/functions-framework/build/src/main.js'), '--target=sms', `--port=${port}`],
    { cwd: dir, env: { ...userEnv(), TWILIO_AUTH_TOKEN: AUTH_TOKEN, HOST: '127.0.0.1' } },
    'Serving function',
    60_000,
  );
  const url = `http://127.0.0.1:${port}/sms`;
  return { signed: await sendTo(port, signed(url, AUTH_TOKEN)), forged: await sendTo(port, signed(url, FORGED_TOKEN)) };
}

async function answerOnTwilioRun(dir: string): Promise<{ signed: Answer; forged: Answer }> {
  const port = await freePort();
  const envFile = join(work, 'twilio.env');
  writeFileSync(envFile, `ACCOUNT_SID=${ACCOUNT_SID}\nAUTH_TOKEN=${AUTH_TOKEN}\n`, { mode: 0o600 });
  // The project's own twilio-run (preloaded so it binds 127.0.0.1 only), serving functions/ that `npm run build` wrote.
  await processes.start(
    process.execPath,
    [
      '-r',
      BIND_LOOPBACK_PRELOAD,
      join(dir, 'node_modules/twilio-run/bin/twilio-run.js'),
      'start',
      '--port',
      String(port),
      '--env',
      envFile,
      '--fork-process=false',
    ],
    { cwd: dir, env: { ...userEnv(), NO_UPDATE_NOTIFIER: '1', FORCE_COLOR: '0' } },
    `localhost:${port}/sms`,
    60_000,
  );
  const url = `http://localhost:${port}/sms`;
  return { signed: await sendTo(port, signed(url, AUTH_TOKEN)), forged: await sendTo(port, signed(url, FORGED_TOKEN)) };
}

it('`twiml-guard new` from the installed @twiml-guard/testing finds the templates it ships', async () => {
  const dir = projectDir('aws');
  const run = await step(
    'twiml-guard new (installed @twiml-guard/testing)',
    'npx',
    ['--no-install', 'twiml-guard', 'new', 'voice-ivr', '--cloud', 'gcp', '../my-ivr'],
    dir,
    userEnv(),
  );
  expect(run.stdout).toContain('Next: cd ../my-ivr && npm install && npm run build');
  const manifest = JSON.parse(readFileSync(join(userDir, 'my-ivr/package.json'), 'utf8')) as { devDependencies: Record<string, string> };
  expect(manifest.devDependencies['@twiml-guard/gcp-functions']).toBe('^0.1.0');
  expect(existsSync(join(userDir, 'my-ivr/src/index.ts'))).toBe(true);
});

it('the user folder is outside the repository and holds no links into it', () => {
  expect(relative(ROOT, userDir).startsWith('..')).toBe(true);
  for (const cloud of CLOUDS) {
    const modules = join(projectDir(cloud), 'node_modules');
    if (!existsSync(modules)) continue;
    expect(lstatSync(modules).isSymbolicLink()).toBe(false);
  }
});

/**
 * The Azure zip deploy of docs/deploy/azure.md, as a user runs it: a generated sms-auto-reply
 * project (packed @twiml-guard/* installed, see support/packed-install.ts) is built locally with
 * `npm run build`, the guide's staging folder gets exactly the files its `cp` line names plus the
 * production node_modules `npm ci --omit=dev` installs, and the zip is deployed with no remote build
 * (a remote build runs `npm run build`, and the upload has no TypeScript to compile).
 * The staged package is then loaded by a fresh node process in the staging folder, which resolves
 * nothing but the staged node_modules; the Functions host's `@azure/functions-core` (the one module
 * the host provides) is stood in for by a preload that records what the worker would be handed.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, cpSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { scaffoldProject } from 'create-twiml-guard';
import { ensurePackagesBuilt, ROOT, TEMPLATES_DIR } from './support/bundle-scripts.js';
import { cleanNpmEnv, installFor, packWorkspaces } from './support/packed-install.js';
import { signFor } from './support/send-signed.js';
import { AUTH_TOKEN, FORGED_TOKEN } from './support/template-cases.js';

const run = promisify(execFile);
const scratch = mkdtempSync(join(tmpdir(), 'twiml-guard-azure-zip-'));
const project = join(scratch, 'install', 'sms-auto-reply');
const stage = join(scratch, 'deploy');
const PACKAGES = ['@twiml-guard/core', '@twiml-guard/azure-functions', '@twiml-guard/testing'];
type Manifest = { dependencies?: Record<string, string>; devDependencies?: Record<string, string>; scripts?: Record<string, string> };

let publishBlock: string;
let tarballs: Map<string, string>;

async function npm(args: readonly string[], cwd: string): Promise<void> {
  await run('npm', [...args], { cwd, env: cleanNpmEnv(), maxBuffer: 64 * 1024 * 1024 }).catch(
    (error: Error & { stdout?: string; stderr?: string }) => {
      throw new Error(`npm ${args.join(' ')} failed in ${cwd}:\n${error.stdout ?? ''}\n${error.stderr ?? ''}`);
    },
  );
}

beforeAll(async () => {
  ensurePackagesBuilt();
  const { stdout } = await run(process.execPath, [join(ROOT, 'scripts/deploy-commands.mjs'), 'azure']);
  publishBlock = /# azure: publish\n([\s\S]*?)\n\n/.exec(stdout)?.[1] ?? '';
  scaffoldProject({ template: 'sms-auto-reply', cloud: 'azure', targetDir: project, templatesDir: TEMPLATES_DIR, version: '0.1.0' });
  tarballs = await packWorkspaces(join(scratch, 'packs'), PACKAGES);
  await installFor(join(scratch, 'install'), [join(project, 'package.json')], tarballs);
  await npm(['run', 'build'], project);
}, 300_000);

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

it('builds locally and deploys the zip with no remote build (the upload has no TypeScript for one)', () => {
  const lines = publishBlock.split('\n');
  expect(lines.indexOf('npm run build')).toBeGreaterThan(-1);
  const deploy = lines.find((line) => line.startsWith('az functionapp deployment source config-zip'));
  expect(deploy).toBeDefined();
  expect(deploy).not.toMatch(/--build-remote|SCM_DO_BUILD/);
  expect(lines).toContain('npm ci --omit=dev --prefix deploy');
  // Core Tools users: the project's deploy script and README publish what was built, with --no-build.
  const manifest = JSON.parse(readFileSync(join(project, 'package.json'), 'utf8')) as Manifest;
  expect(manifest.scripts?.deploy).toMatch(/^npm run build && func azure functionapp publish .* --no-build$/);
  expect(readFileSync(join(project, 'README.md'), 'utf8')).toContain('func azure functionapp publish <APP_NAME> --no-build');
  const funcignore = readFileSync(join(project, '.funcignore'), 'utf8').split('\n');
  expect(funcignore).not.toContain('node_modules/');
  expect(funcignore).toEqual(expect.arrayContaining(['*.ts', 'src/', 'tsconfig.json']));
});

it('stages the files the guide zips plus production node_modules; the staged bundle loads and answers', async () => {
  // The guide's `cp -r <files> deploy/`; the lockfile only pins what `npm ci` installs.
  const copied = /cp -r (.+) deploy\//.exec(publishBlock)?.[1]?.split(' ') ?? [];
  expect(copied).toEqual(['host.json', 'package.json', 'package-lock.json', 'dist']);
  mkdirSync(stage);
  for (const name of copied.filter((file) => file !== 'package-lock.json'))
    cpSync(join(project, name), join(stage, name), { recursive: true });

  // What `npm ci --omit=dev` installs: the manifest's dependencies (@twiml-guard/* from their packed tarballs, unpublished).
  const manifest = JSON.parse(readFileSync(join(stage, 'package.json'), 'utf8')) as Manifest;
  const production = join(scratch, 'production');
  mkdirSync(production);
  const dependencies = Object.fromEntries(
    Object.entries(manifest.dependencies ?? {}).map(([name, version]) => [name, tarballs.get(name) ?? version]),
  );
  writeFileSync(join(production, 'package.json'), JSON.stringify({ name: 'production', private: true, dependencies }));
  await npm(['install', '--omit=dev', '--prefer-offline', '--no-package-lock'], production);
  renameSync(join(production, 'node_modules'), join(stage, 'node_modules'));
  for (const devOnly of ['esbuild', 'typescript', '@twiml-guard/azure-functions'])
    expect(existsSync(join(stage, 'node_modules', devOnly))).toBe(false);
  expect(readdirSync(join(stage, 'dist/functions'))).toEqual(['sms.js']);

  const url = 'https://sms-demo.azurewebsites.net/api/sms';
  const payload = { params: { AccountSid: 'AC0123456789abcdef0123456789abcdef', From: '+15550001111', To: '+15552223333', Body: 'hello' } };
  const requests = { signed: signFor(url, payload, AUTH_TOKEN), forged: signFor(url, payload, FORGED_TOKEN) };
  writeFileSync(join(scratch, 'functions-core.cjs'), FUNCTIONS_CORE_STAND_IN);
  writeFileSync(join(scratch, 'load.cjs'), LOAD_AND_INVOKE);
  const env = { PATH: process.env.PATH ?? '', TWILIO_AUTH_TOKEN: AUTH_TOKEN, REQUESTS: JSON.stringify(requests) };
  const { stdout } = await run(process.execPath, ['--require', join(scratch, 'functions-core.cjs'), join(scratch, 'load.cjs')], {
    cwd: stage,
    env,
  });
  const result = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as {
    azureFunctionsFrom: string;
    programmingModel: string;
    registered: { name: string; trigger: string }[];
    answers: Record<string, { status: number; body: string }>;
  };

  expect(result.azureFunctionsFrom.startsWith(join(stage, 'node_modules', '@azure/functions'))).toBe(true);
  expect(result.programmingModel).toBe('@azure/functions');
  expect(result.registered).toEqual([{ name: 'sms', trigger: 'httpTrigger' }]);
  expect(result.answers.signed?.status).toBe(200);
  expect(result.answers.signed?.body).toContain('<Response>');
  expect(result.answers.forged?.status).toBe(403);
}, 120_000);

/** The host's side of `@azure/functions-core`: records the programming model and the registered functions. */
const FUNCTIONS_CORE_STAND_IN = `
const Module = require('node:module');
const registered = [];
const core = {
  version: '4.0.0',
  programmingModel: undefined,
  setProgrammingModel(model) { core.programmingModel = model; },
  registerFunction(metadata, callback) { registered.push({ metadata, callback }); return { dispose() {} }; },
  registerHook() { return { dispose() {} }; },
  getProgrammingModel() { return core.programmingModel; },
};
globalThis.__functionsCore = { core, registered };
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return request === '@azure/functions-core' ? '@azure/functions-core' : resolve.call(this, request, ...rest);
};
require.cache['@azure/functions-core'] = { id: '@azure/functions-core', filename: '@azure/functions-core', loaded: true, exports: core };
`;

/** Loads the staged bundle from the staging folder (cwd) and invokes what it registered, as the worker would. */
const LOAD_AND_INVOKE = `
const { join } = require('node:path');
const { core, registered } = globalThis.__functionsCore;
const stage = process.cwd();
const fromStage = require.resolve('@azure/functions', { paths: [stage] });
const { HttpRequest, InvocationContext } = require(fromStage);
require(join(stage, 'dist/functions/sms.js'));
(async () => {
  const answers = {};
  for (const [label, signed] of Object.entries(JSON.parse(process.env.REQUESTS))) {
    const request = new HttpRequest({ method: signed.method, url: signed.url, headers: { ...signed.headers, host: 'sms-demo.azurewebsites.net' }, body: { bytes: new TextEncoder().encode(signed.body) } });
    const context = new InvocationContext({ functionName: 'sms', invocationId: label, logHandler: () => undefined });
    const response = await registered[0].callback(request, context);
    answers[label] = { status: response.status ?? 200, body: typeof response.body === 'string' ? response.body : String(response.body ?? '') };
  }
  process.stdout.write(JSON.stringify({
    azureFunctionsFrom: fromStage,
    programmingModel: core.programmingModel && core.programmingModel.name,
    registered: registered.map(({ metadata }) => ({ name: metadata.name, trigger: metadata.bindings[metadata.name + 'Trigger'] ? metadata.bindings[metadata.name + 'Trigger'].type : Object.values(metadata.bindings).find((b) => b.direction === 'in').type })),
    answers,
  }) + '\\n');
})().catch((error) => { console.error(error); process.exit(1); });
`;

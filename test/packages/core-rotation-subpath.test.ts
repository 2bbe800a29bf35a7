/**
 * `@twiml-guard/core/rotation` as a user installs it: the packed package in a folder outside the
 * repository, with no `twilio` installed.
 * - `require` and `import` both load the subpath; core's main entry no longer carries rotation;
 * - `twilio` is an optional peer: without it, the first call of `officialTwilioAuthTokens()` fails
 *   with an error that names the package to install;
 * - a bundle for a web-standard runtime (esbuild, workerd conditions) resolves the subpath to its one
 *   build and pulls in no `node:` module, the `twilio` import left for the runtime.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installPackedPackages, ROOT } from './support/packed-packages';

const ESBUILD = join(ROOT, 'node_modules/.bin/esbuild');
const ACCOUNT_SID = `AC${'0'.repeat(32)}`;

let project: string;

beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), 'twiml-guard-core-rotation-'));
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'user-project', private: true }));
  installPackedPackages(project, ['core']);
  mkdirSync(join(project, 'src'));
}, 120_000);

afterAll(() => rmSync(project, { recursive: true, force: true }));

/** Runs a script with Node in the user's project (nothing resolves through the monorepo); returns its stdout as JSON. */
function run(file: string, source: string): unknown {
  writeFileSync(join(project, file), source);
  const result = spawnSync(process.execPath, [file], { cwd: project, encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
  if (result.status !== 0) throw new Error(`${file} failed: ${result.stderr}`);
  return JSON.parse(result.stdout);
}

const probe = (load: string) =>
  `${load}\n` +
  `const api = rotation.officialTwilioAuthTokens();\n` +
  `const missing = await api.authenticates({ accountSid: '${ACCOUNT_SID}', authToken: 'a-token' }).then(() => 'loaded', (error) => error.message);\n` +
  `process.stdout.write(JSON.stringify({ rotate: typeof rotation.rotateTwilioAuthToken, parse: typeof rotation.parseRotationSecret, inMain: 'rotateTwilioAuthToken' in core, missing }));\n`;

test.each([
  [
    'require',
    'probe.cjs',
    `const rotation = require('@twiml-guard/core/rotation');\nconst core = require('@twiml-guard/core');\n(async () => {\n`,
    '})();\n',
  ],
  [
    'import',
    'probe.mjs',
    `const rotation = await import('@twiml-guard/core/rotation');\nconst core = await import('@twiml-guard/core');\n`,
    '',
  ],
])(
  '%s: the subpath loads, the main entry has no rotation, and a missing twilio names the package to install',
  (_how, file, load, close) => {
    expect(run(file, probe(load) + close)).toEqual({
      rotate: 'function',
      parse: 'function',
      inMain: false,
      missing: expect.stringContaining('twilio could not be loaded: install it (npm install twilio)'),
    });
  },
);

test('twilio is an optional peer of core, from 6.2.0 on', () => {
  const manifest = JSON.parse(readFileSync(join(project, 'node_modules/@twiml-guard/core/package.json'), 'utf8')) as {
    peerDependencies?: Record<string, string>;
    peerDependenciesMeta?: Record<string, { optional?: boolean }>;
    dependencies?: Record<string, string>;
  };
  expect(manifest.peerDependencies).toEqual({ twilio: '>=6.2.0' });
  expect(manifest.peerDependenciesMeta).toEqual({ twilio: { optional: true } });
  expect(manifest.dependencies).toBeUndefined();
});

test('a Workers bundle (workerd conditions, platform neutral) resolves the subpath to its build, with no node: module', () => {
  writeFileSync(
    join(project, 'src/worker.ts'),
    `import { officialTwilioAuthTokens, rotateTwilioAuthToken } from '@twiml-guard/core/rotation';\n` +
      `export default { fetch: () => new Response(typeof rotateTwilioAuthToken + typeof officialTwilioAuthTokens) };\n`,
  );
  const result = spawnSync(
    ESBUILD,
    [
      'src/worker.ts',
      '--bundle',
      '--platform=neutral',
      '--format=esm',
      '--conditions=workerd,worker,browser',
      '--main-fields=module,main',
      '--outfile=out/worker.mjs',
      '--metafile=out/meta.json',
      '--log-level=error',
    ],
    { cwd: project, encoding: 'utf8', env: { ...process.env, NODE_PATH: '' } },
  );
  if (result.status !== 0) throw new Error(`esbuild failed:\n${result.stderr}`);
  const inputs = Object.keys(
    (JSON.parse(readFileSync(join(project, 'out/meta.json'), 'utf8')) as { inputs: Record<string, unknown> }).inputs,
  );
  expect(inputs).toContain('node_modules/@twiml-guard/core/dist/rotation.mjs');
  const text = readFileSync(join(project, 'out/worker.mjs'), 'utf8');
  expect(text).not.toMatch(/["']node:/);
  expect(text).toContain('import("twilio")');
});

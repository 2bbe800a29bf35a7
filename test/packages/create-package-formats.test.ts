/**
 * create-twiml-guard as a user's code loads it from the packed tarball: `require()` and `import()`
 * both find the templates the package ships and scaffold a project. The ES module build has no
 * `__dirname`, so it must locate its own folder another way.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installPackedPackages } from './support/packed-packages';

let project: string;

beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), 'twiml-guard-create-formats-'));
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'user-project', private: true }));
  installPackedPackages(project, ['create-twiml-guard']);
}, 120_000);

afterAll(() => rmSync(project, { recursive: true, force: true }));

/** Runs `source` as a user's module (`.cjs` or `.mjs`) in the project; returns its exit code and output. */
function run(file: string, source: string): { status: number | null; output: string } {
  writeFileSync(join(project, file), source);
  const result = spawnSync(process.execPath, [file], { cwd: project, encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

const SCAFFOLD = (dir: string) => `
  const io = { out() {}, err: (text) => console.error(text), cwd: process.cwd(), env: {} };
  const code = await runCreate(['${dir}', '--template', 'sms-auto-reply', '--cloud', 'gcp'], io);
  console.log(JSON.stringify({ templates: findTemplatesDir(), code }));
`;

test.each([
  [
    'require()',
    'from-cjs.cjs',
    'cjs-project',
    `const { runCreate, findTemplatesDir } = require('create-twiml-guard');\n(async () => {${SCAFFOLD('cjs-project')}})();`,
  ],
  [
    'import()',
    'from-esm.mjs',
    'esm-project',
    `const { runCreate, findTemplatesDir } = await import('create-twiml-guard');\n${SCAFFOLD('esm-project')}`,
  ],
])('%s of create-twiml-guard finds the shipped templates and scaffolds', (_how, file, dir, source) => {
  const { status, output } = run(file, source);
  expect({ status, output }).toEqual({ status: 0, output: expect.stringContaining('"code":0') });
  const { templates } = JSON.parse(output.trim().split('\n').pop()!) as { templates: string };
  expect(templates).toBe(join(project, 'node_modules/create-twiml-guard/templates'));
  expect(existsSync(join(project, dir, 'src/index.ts'))).toBe(true);
  expect(JSON.parse(readFileSync(join(project, dir, 'package.json'), 'utf8'))).toMatchObject({ name: dir });
});

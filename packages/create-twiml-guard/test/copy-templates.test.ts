/**
 * What `prepack` copies into the tarball (copy-templates.mjs): the templates without installs, build
 * output, tests or local secrets files; a `.gitignore` travels as `gitignore` (npm never packs one).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';

let work: string;
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'copy-templates-'));
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}

test('ships the template and the examples of secrets files, never the secrets files themselves', () => {
  const from = join(work, 'templates');
  const files = [
    't/handler.ts',
    't/handler.test.ts',
    't/.gitignore',
    't/twilio/.env',
    't/twilio/.env.local',
    't/twilio/.env.example',
    't/azure/local.settings.json',
    't/azure/local.settings.dev.json',
    't/azure/local.settings.json.example',
    't/aws/node_modules/x/index.js',
  ];
  for (const file of files) {
    mkdirSync(join(from, file, '..'), { recursive: true });
    writeFileSync(join(from, file), 'TWILIO_AUTH_TOKEN=x\n');
  }
  const to = join(work, 'copy');
  const script = `import(${JSON.stringify(pathToFileURL(join(__dirname, '../copy-templates.mjs')).href)}).then((m) => m.copyTemplates(${JSON.stringify(to)}, ${JSON.stringify(from)}))`;
  execFileSync(process.execPath, ['-e', script]);
  expect(filesUnder(to)).toEqual(['t/azure/local.settings.json.example', 't/gitignore', 't/handler.ts', 't/twilio/.env.example'].sort());
});

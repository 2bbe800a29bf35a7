import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listTemplates, rewritePackageJson, scaffoldProject, ScaffoldError } from '@twiml-guard/testing';
import { makeFakeTemplates } from './fake-template.js';

let templatesDir: string;
let workDir: string;
beforeEach(() => {
  templatesDir = makeFakeTemplates();
  workDir = mkdtempSync(join(tmpdir(), 'twiml-guard-new-'));
});
afterEach(() => {
  rmSync(templatesDir, { recursive: true, force: true });
  rmSync(workDir, { recursive: true, force: true });
});

describe('scaffoldProject', () => {
  it('copies the shared files and only the chosen cloud, without build output or the monorepo tests', () => {
    const targetDir = join(workDir, 'My SMS Bot');
    const result = scaffoldProject({ template: 'hello-sms', cloud: 'aws', targetDir, templatesDir, version: '1.2.3' });
    expect(result.files).toEqual(['README.md', 'aws/index.ts', 'aws/package.json', 'aws/serverless.yml', 'handler.ts', 'package.json']);
    expect(existsSync(join(targetDir, 'gcp'))).toBe(false);
    expect(existsSync(join(targetDir, 'aws/node_modules'))).toBe(false);
    expect(readFileSync(join(targetDir, 'aws/index.ts'), 'utf8')).toBe("import { handler } from '../handler.js';\nexport default handler;\n");
    expect(result.rewrittenPackageJsons).toEqual(['aws/package.json', 'package.json']);
  });

  it('points @twiml-guard/* at the published version and leaves other dependencies alone', () => {
    const targetDir = join(workDir, 'My SMS Bot');
    scaffoldProject({ template: 'hello-sms', cloud: 'aws', targetDir, templatesDir, version: '1.2.3' });
    const root = JSON.parse(readFileSync(join(targetDir, 'package.json'), 'utf8'));
    expect(root).toEqual({ name: 'my-sms-bot', private: true, dependencies: { '@twiml-guard/core': '^1.2.3' } });
    const awsText = readFileSync(join(targetDir, 'aws/package.json'), 'utf8');
    expect(JSON.parse(awsText)).toEqual({
      name: 'hello-sms-aws',
      dependencies: { '@twiml-guard/aws-lambda': '^1.2.3', '@middy/core': '6.4.5' },
      devDependencies: { '@twiml-guard/testing': '^1.2.3', esbuild: '0.28.2' },
    });
    expect(awsText).toMatch(/^ {4}"name"/m); // keeps the template's indentation
  });

  it('accepts an existing empty directory', () => {
    mkdirSync(join(workDir, 'empty'));
    expect(scaffoldProject({ template: 'hello-sms', cloud: 'gcp', targetDir: join(workDir, 'empty'), templatesDir, version: '1.0.0' }).files).toContain('gcp/index.ts');
  });

  it.each([
    ['an unknown template, listing the ones there are', { template: 'nope' }, /No template "nope" .*\(available: hello-sms\)/],
    ['a cloud the template lacks', { cloud: 'azure' as const }, /no azure variant \(it has: aws, gcp\)/],
    ['a path as template name', { template: '../x' }, /not a template name/],
  ])('refuses %s', (_label, override, message) => {
    expect(() => scaffoldProject({ template: 'hello-sms', cloud: 'aws', targetDir: join(workDir, 'out'), templatesDir, version: '1.0.0', ...override })).toThrow(message);
    expect(existsSync(join(workDir, 'out'))).toBe(false);
  });

  it('refuses a non-empty target', () => {
    writeFileSync(join(workDir, 'keep.txt'), 'mine');
    expect(() => scaffoldProject({ template: 'hello-sms', cloud: 'aws', targetDir: workDir, templatesDir, version: '1.0.0' })).toThrow(ScaffoldError);
    expect(readFileSync(join(workDir, 'keep.txt'), 'utf8')).toBe('mine');
  });
});

describe('helpers', () => {
  it('lists template folders', () => {
    expect(listTemplates(templatesDir)).toEqual(['hello-sms']);
    expect(listTemplates(join(templatesDir, 'missing'))).toEqual([]);
  });

  it('rejects a broken package.json with a clear error', () => {
    expect(() => rewritePackageJson('{', '1.0.0')).toThrow(/not valid JSON/);
  });
});

import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLOUDS, listTemplates, rewritePackageJson, scaffoldProject, ScaffoldError } from 'create-twiml-guard';
import { makeFakeTemplates } from '@twiml-guard/test-support/fake-template';

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
  it('merges the shared files and only the chosen cloud into one root, without build output or the repository tests', () => {
    const targetDir = join(workDir, 'My SMS Bot');
    const result = scaffoldProject({ template: 'hello-sms', cloud: 'aws', targetDir, templatesDir, version: '1.2.3' });
    expect(result.files).toEqual(['.gitignore', 'README.md', 'handler.ts', 'index.ts', 'package.json', 'serverless.yml']);
    expect(readdirSync(targetDir).sort()).toEqual([...result.files].sort());
    expect(existsSync(join(targetDir, 'aws'))).toBe(false);
    expect(existsSync(join(targetDir, 'node_modules'))).toBe(false);
    // The cloud folder moved up one level: its import of the shared handler follows.
    expect(readFileSync(join(targetDir, 'index.ts'), 'utf8')).toBe("import { handler } from './handler.js';\nexport default handler;\n");
    expect(result.rewrittenPackageJsons).toEqual(['package.json']);
  });

  it('writes one package.json: shared and cloud dependencies, @twiml-guard/* at the published version, no local paths', () => {
    const targetDir = join(workDir, 'My SMS Bot');
    scaffoldProject({ template: 'hello-sms', cloud: 'aws', targetDir, templatesDir, version: '1.2.3' });
    expect(JSON.parse(readFileSync(join(targetDir, 'package.json'), 'utf8'))).toEqual({
      name: 'my-sms-bot',
      private: true,
      dependencies: { '@middy/core': '6.4.5', '@twiml-guard/aws-lambda': '^1.2.3', '@twiml-guard/core': '^1.2.3' },
      devDependencies: { '@twiml-guard/testing': '^1.2.3', esbuild: '0.28.2' },
    });
  });

  it('keeps the cloud folder layout below the root and rewrites nested relative imports', () => {
    const targetDir = join(workDir, 'hi-gcp');
    const result = scaffoldProject({ template: 'hello-sms', cloud: 'gcp', targetDir, templatesDir, version: '1.0.0' });
    expect(result.files).toEqual([
      '.gitignore',
      'README.md',
      'handler.ts',
      'index.ts',
      'package.json',
      'src/functions/hi.ts',
      'src/functions/local.ts',
    ]);
    expect(readFileSync(join(targetDir, 'src/functions/hi.ts'), 'utf8')).toBe(
      "import { handler } from '../../handler.js';\nimport './local.js';\nexport { handler };\n",
    );
    // Both .gitignore files, in one; the built functions/ the cloud's .gitignore names stayed behind.
    expect(readFileSync(join(targetDir, '.gitignore'), 'utf8')).toBe('node_modules/\n/functions/\n');
    expect(JSON.parse(readFileSync(join(targetDir, 'package.json'), 'utf8'))).toEqual({
      name: 'hi-gcp',
      private: true,
      description: 'hi on GCP',
      scripts: { build: 'tsc' },
      dependencies: { '@twiml-guard/core': '^1.0.0' },
    });
  });

  it('writes a README for the chosen cloud only: its section, deploy, rotation and the published docs', () => {
    const targetDir = join(workDir, 'my-bot');
    scaffoldProject({ template: 'hello-sms', cloud: 'aws', targetDir, templatesDir, version: '1.0.0' });
    const readme = readFileSync(join(targetDir, 'README.md'), 'utf8');
    expect(readme).toMatch(/^# my-bot\n\nSays hi\.\n/);
    expect(readme).toContain('## Check it\n\nSend it a signed request.');
    expect(readme).toContain('## AWS (Lambda)\n\n```sh\nnpx serverless deploy\n```');
    expect(readme).toContain('https://<api-id>.execute-api.<region>.amazonaws.com/sms');
    expect(readme).toContain('https://github.com/twiml-guard/twiml-guard/blob/main/docs/deploy/aws.md');
    expect(readme).toContain('https://github.com/twiml-guard/twiml-guard/blob/main/docs/rotation.md');
    expect(readme).toContain('## Rotating the token');
    // An AWS project's build only typechecks: serverless-esbuild bundles when it packages.
    expect(readme).toContain('npm run build       # typecheck (serverless bundles with esbuild when it packages or deploys)\n');
    for (const absent of ['Google Cloud', 'npm run deploy', 'In this repository', '../../packages', 'cd aws', 'then bundle'])
      expect({ absent, found: readme.includes(absent) }).toEqual({ absent, found: false });
  });

  it("says what a bundling cloud's build does", () => {
    const targetDir = join(workDir, 'my-gcp-bot');
    scaffoldProject({ template: 'hello-sms', cloud: 'gcp', targetDir, templatesDir, version: '1.0.0' });
    expect(readFileSync(join(targetDir, 'README.md'), 'utf8')).toContain('npm run build       # typecheck, then bundle\n');
  });

  it('accepts an existing empty directory', () => {
    mkdirSync(join(workDir, 'empty'));
    expect(
      scaffoldProject({ template: 'hello-sms', cloud: 'gcp', targetDir: join(workDir, 'empty'), templatesDir, version: '1.0.0' }).files,
    ).toContain('index.ts');
  });

  it.each([
    ['an unknown template, listing the ones there are', { template: 'nope' }, /No template "nope" .*\(available: hello-sms\)/],
    ['a cloud the template lacks', { cloud: 'azure' as const }, /no azure variant \(it has: aws, gcp\)/],
    ['a path as template name', { template: '../x' }, /not a template name/],
  ])('refuses %s', (_label, override, message) => {
    expect(() =>
      scaffoldProject({
        template: 'hello-sms',
        cloud: 'aws',
        targetDir: join(workDir, 'out'),
        templatesDir,
        version: '1.0.0',
        ...override,
      }),
    ).toThrow(message);
    expect(existsSync(join(workDir, 'out'))).toBe(false);
  });

  it('refuses a non-empty target', () => {
    writeFileSync(join(workDir, 'keep.txt'), 'mine');
    expect(() => scaffoldProject({ template: 'hello-sms', cloud: 'aws', targetDir: workDir, templatesDir, version: '1.0.0' })).toThrow(
      ScaffoldError,
    );
    expect(readFileSync(join(workDir, 'keep.txt'), 'utf8')).toBe('mine');
  });

  it('copies no local secrets files (.env.*, local.settings*.json), only their examples', () => {
    for (const name of ['.env', '.env.local', '.env.production', 'local.settings.json', 'local.settings.dev.json'])
      writeFileSync(join(templatesDir, 'hello-sms/aws', name), 'TWILIO_AUTH_TOKEN=a-real-one\n');
    for (const name of ['.env.example', 'local.settings.json.example'])
      writeFileSync(join(templatesDir, 'hello-sms/aws', name), 'TWILIO_AUTH_TOKEN=\n');
    const result = scaffoldProject({
      template: 'hello-sms',
      cloud: 'aws',
      targetDir: join(workDir, 'out'),
      templatesDir,
      version: '1.0.0',
    });
    expect(result.files.filter((file) => /env|settings/.test(file))).toEqual(['.env.example', 'local.settings.json.example']);
  });

  it('refuses a target that is a file, saying so', () => {
    writeFileSync(join(workDir, 'a-file'), 'mine');
    expect(() =>
      scaffoldProject({ template: 'hello-sms', cloud: 'aws', targetDir: join(workDir, 'a-file'), templatesDir, version: '1.0.0' }),
    ).toThrow(new ScaffoldError(`${join(workDir, 'a-file')} is a file, not a directory.`));
    expect(readFileSync(join(workDir, 'a-file'), 'utf8')).toBe('mine');
  });

  it('refuses a target that is a link to nowhere, saying so', () => {
    symlinkSync(join(workDir, 'nowhere'), join(workDir, 'dangling'));
    expect(() =>
      scaffoldProject({ template: 'hello-sms', cloud: 'aws', targetDir: join(workDir, 'dangling'), templatesDir, version: '1.0.0' }),
    ).toThrow(new ScaffoldError(`${join(workDir, 'dangling')} is a symbolic link to ${join(workDir, 'nowhere')}, which does not exist.`));
    expect(existsSync(join(workDir, 'nowhere'))).toBe(false);
  });

  it.each([
    ['a new template folder', 'new-template'],
    ['a folder inside a template', 'hello-sms/aws/project'],
  ])('refuses a target inside the templates folder (%s), writing nothing', (_label, inside) => {
    expect(() =>
      scaffoldProject({ template: 'hello-sms', cloud: 'aws', targetDir: join(templatesDir, inside), templatesDir, version: '1.0.0' }),
    ).toThrow(/is inside the templates folder/);
    expect(existsSync(join(templatesDir, inside))).toBe(false);
    expect(listTemplates(templatesDir)).toEqual(['hello-sms']);
  });

  it('refuses a file that both the template and its cloud folder have, writing nothing', () => {
    writeFileSync(join(templatesDir, 'hello-sms/aws/handler.ts'), 'export {};\n');
    expect(() =>
      scaffoldProject({ template: 'hello-sms', cloud: 'aws', targetDir: join(workDir, 'out'), templatesDir, version: '1.0.0' }),
    ).toThrow(/handler\.ts exists both in the template and in its aws folder/);
    expect(existsSync(join(workDir, 'out'))).toBe(false);
  });

  it('reads a shipped `gitignore` (npm packs no .gitignore) as the project .gitignore', () => {
    rmSync(join(templatesDir, 'hello-sms/.gitignore'));
    writeFileSync(join(templatesDir, 'hello-sms/gitignore'), 'dist/\n');
    const result = scaffoldProject({
      template: 'hello-sms',
      cloud: 'aws',
      targetDir: join(workDir, 'out'),
      templatesDir,
      version: '1.0.0',
    });
    expect(result.files).toContain('.gitignore');
    expect(result.files).not.toContain('gitignore');
    expect(readFileSync(join(workDir, 'out/.gitignore'), 'utf8')).toBe('dist/\n');
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

  it('rewrites @twiml-guard/* to ^version and keeps the indentation', () => {
    const text = rewritePackageJson(
      JSON.stringify({ name: 'x', dependencies: { '@twiml-guard/core': 'file:../core', other: '1.0.0' } }, null, 4),
      '2.0.0',
      'My App',
    );
    expect(JSON.parse(text)).toEqual({ name: 'my-app', dependencies: { '@twiml-guard/core': '^2.0.0', other: '1.0.0' } });
    expect(text).toMatch(/^ {4}"name"/m);
  });
});

describe('the repository templates, scaffolded', () => {
  const repositoryTemplates = join(__dirname, '../../../templates');
  it.each(listTemplates(repositoryTemplates).flatMap((template) => CLOUDS.map((cloud) => [template, cloud] as const)))(
    '%s --cloud %s: one cloud, registry dependencies, no path into the repository',
    (template, cloud) => {
      const targetDir = join(workDir, `${template}-${cloud}`);
      const { files } = scaffoldProject({ template, cloud, targetDir, templatesDir: repositoryTemplates, version: '0.1.0' });
      for (const other of CLOUDS.filter((name) => name !== cloud)) expect(files.some((file) => file.startsWith(`${other}/`))).toBe(false);
      const manifest = JSON.parse(readFileSync(join(targetDir, 'package.json'), 'utf8')) as Record<
        string,
        Record<string, string> | undefined
      >;
      expect(manifest.workspaces).toBeUndefined();
      expect(manifest.scripts?.build).toMatch(/^tsc\b/);
      for (const [name, spec] of Object.entries({ ...manifest.dependencies, ...manifest.devDependencies })) {
        expect({ name, spec: /^[~^]?\d+\.\d+\.\d+$/.test(spec) }).toEqual({ name, spec: true });
      }
      for (const file of files) {
        const text = readFileSync(join(targetDir, file), 'utf8');
        expect({ file, pointsIntoRepository: /\.\.\/\.\.\/\.\.\/|templates\/|packages\/|test\/templates/.test(text) }).toEqual({
          file,
          pointsIntoRepository: false,
        });
      }
    },
  );
});

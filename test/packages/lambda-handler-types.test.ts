/**
 * The Lambda handlers fit @types/aws-lambda as a consumer compiles them: fixtures/lambda-handler-types.ts
 * is type-checked by tsc in a folder outside the repository, against the packed @twiml-guard/core and
 * @twiml-guard/aws-lambda (their dist/*.d.cts and *.d.mts), under NodeNext (as CommonJS and as ESM)
 * and under Bundler resolution, with skipLibCheck off so the shipped declarations are checked too.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { copyInstalledPackage, installPackedPackages, ROOT } from './support/packed-packages';

const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');
const FIXTURE = join(__dirname, 'fixtures/lambda-handler-types.ts');
const STRICT = { target: 'ES2022', lib: ['ES2022'], types: ['node'], strict: true, noEmit: true, skipLibCheck: false };

let consumer: string;

beforeAll(() => {
  consumer = mkdtempSync(join(tmpdir(), 'twiml-guard-types-'));
  installPackedPackages(consumer, ['core', 'aws-lambda']);
  for (const types of ['@types/aws-lambda', '@types/node', 'undici-types']) copyInstalledPackage(consumer, types);
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
  copyFileSync(FIXTURE, join(consumer, 'cjs-consumer.cts'));
  copyFileSync(FIXTURE, join(consumer, 'esm-consumer.mts'));
  copyFileSync(FIXTURE, join(consumer, 'bundler-consumer.ts'));
}, 120_000);

afterAll(() => rmSync(consumer, { recursive: true, force: true }));

/** Runs tsc on a config; returns the files it read, or fails with tsc's diagnostics. */
function typecheck(name: string, compilerOptions: Record<string, unknown>, files: string[]): string[] {
  writeFileSync(join(consumer, name), JSON.stringify({ compilerOptions: { ...STRICT, ...compilerOptions }, files }));
  try {
    return execFileSync(process.execPath, [TSC, '-p', name, '--listFiles'], { cwd: consumer, encoding: 'utf8' }).split('\n');
  } catch (error) {
    const output = (error as { stdout?: string }).stdout ?? String(error);
    throw new Error(
      `tsc -p ${name} failed:\n${output
        .split('\n')
        .filter((line) => !line.startsWith('/'))
        .join('\n')}`,
    );
  }
}

const shipped = (files: string[], extension: string) =>
  files.some((file) => file.endsWith(`node_modules/@twiml-guard/aws-lambda/dist/index${extension}`));

test('NodeNext: a CommonJS consumer gets the .d.cts types, an ESM consumer the .d.mts types, and both typecheck', () => {
  const files = typecheck('tsconfig.nodenext.json', { module: 'NodeNext', moduleResolution: 'NodeNext' }, [
    'cjs-consumer.cts',
    'esm-consumer.mts',
  ]);
  expect(shipped(files, '.d.cts')).toBe(true);
  expect(shipped(files, '.d.mts')).toBe(true);
  expect(files.some((file) => file.includes('/src/'))).toBe(false);
}, 120_000);

test('Bundler resolution: the import condition (.d.mts) typechecks', () => {
  const files = typecheck('tsconfig.bundler.json', { module: 'ESNext', moduleResolution: 'Bundler' }, ['bundler-consumer.ts']);
  expect(shipped(files, '.d.mts')).toBe(true);
  expect(shipped(files, '.d.cts')).toBe(false);
}, 120_000);

test('the /rotation subpath typechecks without the optional SDKs installed (the Lambda runtime ships the AWS SDK)', () => {
  writeFileSync(
    join(consumer, 'rotation-consumer.mts'),
    [
      "import { secretsManagerRotation, type SecretsManagerRotationOptions } from '@twiml-guard/aws-lambda/rotation';",
      'const options: SecretsManagerRotationOptions = { leaseMs: 60_000 };',
      'export const handler = secretsManagerRotation(options);',
    ].join('\n'),
  );
  const files = typecheck('tsconfig.rotation.json', { module: 'NodeNext', moduleResolution: 'NodeNext' }, ['rotation-consumer.mts']);
  expect(files.some((file) => file.includes('node_modules/@aws-sdk/'))).toBe(false);
  expect(files.some((file) => file.endsWith('node_modules/@twiml-guard/aws-lambda/dist/rotation.d.mts'))).toBe(true);
}, 120_000);

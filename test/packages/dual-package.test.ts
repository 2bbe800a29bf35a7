/**
 * The dual-package hazard, as a user meets it: each package ships a CommonJS and an ES module build,
 * so a project that `require()`s @twiml-guard/core in one file and `import`s an adapter in another
 * holds two copies of core's classes. The token errors a custom token source throws must still be
 * told apart (no token configured: 500; store unavailable: 503) whichever copy threw them.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURES } from '@twiml-guard/test-support/platforms/lambda-events';
import { signedEvent } from '@twiml-guard/test-support/platforms/lambda-sign';
import { installPackedPackages } from './support/packed-packages';

let project: string;

beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), 'twiml-guard-dual-'));
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'user-project', private: true }));
  installPackedPackages(project, ['core', 'aws-lambda']);
  // The user's token source, in a CommonJS file: it throws the errors of core's CommonJS build.
  writeFileSync(
    join(project, 'token-source.cjs'),
    `const { TokenNotConfiguredError, TokenStoreUnavailableError } = require('@twiml-guard/core');\n` +
      `exports.notConfigured = async () => { throw new TokenNotConfiguredError('no token in this deployment'); };\n` +
      `exports.storeDown = async () => { throw new TokenStoreUnavailableError('the vault timed out'); };\n`,
  );
}, 120_000);

afterAll(() => rmSync(project, { recursive: true, force: true }));

const fixture = FIXTURES.find((candidate) => !candidate.needsConfig && candidate.kind !== 'json')!;

/** An ES module handler (core's ES module build, through the adapter) whose token comes from the CommonJS file. */
function invoke(adapterImport: 'import' | 'require', source: 'notConfigured' | 'storeDown'): { statusCode: number; log: string } {
  const load =
    adapterImport === 'import' ? `await import('@twiml-guard/aws-lambda')` : `createRequire(import.meta.url)('@twiml-guard/aws-lambda')`;
  writeFileSync(
    join(project, 'handler.mjs'),
    `import { createRequire } from 'node:module';\n` +
      `const { twilioWebhook } = ${load};\n` +
      `const tokens = createRequire(import.meta.url)('./token-source.cjs');\n` +
      `const handler = twilioWebhook(() => '<Response/>', { authToken: tokens.${source} });\n` +
      `const result = await handler(JSON.parse(process.argv[2]), { awsRequestId: 'r1' });\n` +
      `process.stdout.write(String(result.statusCode));\n`,
  );
  const run = spawnSync(process.execPath, ['handler.mjs', JSON.stringify(signedEvent(fixture))], {
    cwd: project,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '' },
  });
  if (run.status !== 0) throw new Error(`the handler failed: ${run.stderr}`);
  return { statusCode: Number(run.stdout), log: run.stderr };
}

describe.each(['import', 'require'] as const)('an adapter loaded with %s, a token source throwing CommonJS core errors', (how) => {
  test('TokenNotConfiguredError is a misconfiguration: 500, and the log says so', () => {
    const { statusCode, log } = invoke(how, 'notConfigured');
    expect(statusCode).toBe(500);
    expect(log).toContain('no auth token configured (no token in this deployment)');
  });

  test('TokenStoreUnavailableError is an outage: 503 with its message', () => {
    const { statusCode, log } = invoke(how, 'storeDown');
    expect(statusCode).toBe(503);
    expect(log).toContain('the vault timed out');
  });
});

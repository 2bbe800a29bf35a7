/**
 * The deployable shape infra/aws/* expects: a `rotation.js` bundle whose `handler` Secrets Manager
 * invokes. Bundled with esbuild as a user would (the SDK and `twilio` inside: the Lambda runtime
 * ships no `twilio`), then run by a separate Node process with the SDK pointed at a local Secrets Manager
 * through the standard AWS_ENDPOINT_URL_SECRETS_MANAGER variable.
 */
import { build } from 'esbuild';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ACCOUNT_SID, FIRST_TOKEN } from '@twiml-guard/test-support/rotation-fixtures';
import { startSecretsManagerFake, type SecretsManagerFake } from '@twiml-guard/test-support/fakes/secrets-manager-fake';

const root = join(__dirname, '../../../..');
let dir: string;
let store: SecretsManagerFake;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rotation-bundle-'));
  store = await startSecretsManagerFake('twilio/auth-token', JSON.stringify({ accountSid: ACCOUNT_SID, authToken: FIRST_TOKEN }));
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await store.close();
});

test('rotation.js bundles with esbuild, exports handler, and runs its step guard against Secrets Manager', async () => {
  const entry = join(dir, 'rotation.ts');
  writeFileSync(
    entry,
    "import { secretsManagerRotation } from '@twiml-guard/aws-lambda/rotation';\nexport const handler = secretsManagerRotation();\n",
  );
  await build({
    entryPoints: [entry],
    outfile: join(dir, 'rotation.js'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    alias: {
      '@twiml-guard/aws-lambda/rotation': join(root, 'packages/aws-lambda/src/rotation.ts'),
      '@twiml-guard/core': join(root, 'packages/core/src/index.ts'),
      '@twiml-guard/core/rotation': join(root, 'packages/core/src/rotation.ts'),
    },
    nodePaths: [join(root, 'node_modules')],
    logLevel: 'error',
  });
  expect(statSync(join(dir, 'rotation.js')).size).toBeGreaterThan(0);

  const current = store.versionAt('AWSCURRENT') as string;
  const script = `
    const { handler } = require(${JSON.stringify(join(dir, 'rotation.js'))});
    (async () => {
      const results = [typeof handler];
      await handler({ Step: 'finish_secret', SecretId: ${JSON.stringify(store.arn)}, ClientRequestToken: ${JSON.stringify(current)} });
      results.push('current-version-done');
      await handler({ Step: 'createSecret', SecretId: ${JSON.stringify(store.arn)}, ClientRequestToken: 'unknown' }).catch((e) => results.push(e.name + ': ' + e.message));
      await handler({ Step: 'bogus', SecretId: 'x', ClientRequestToken: 'y' }).catch((e) => results.push(e.name));
      process.stdout.write(JSON.stringify(results));
    })();`;
  const { stdout } = await promisify(execFile)(process.execPath, ['-e', script], {
    cwd: dir,
    env: {
      PATH: process.env.PATH ?? '',
      NODE_PATH: join(root, 'node_modules'),
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'x',
      AWS_SECRET_ACCESS_KEY: 'y',
      AWS_ENDPOINT_URL_SECRETS_MANAGER: store.endpoint,
      AWS_MAX_ATTEMPTS: '1',
    },
    timeout: 20_000,
  });
  expect(JSON.parse(stdout)).toEqual([
    'function',
    'current-version-done',
    `RotationError: secret version unknown has no stage for rotation of secret ${store.arn}`,
    'RotationError',
  ]);
  expect(store.calls.map((call) => call.target)).toEqual(['secretsmanager.DescribeSecret', 'secretsmanager.DescribeSecret']);
});

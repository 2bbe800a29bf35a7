/**
 * A user's `esbuild --bundle --platform=node`, in a folder outside the repository where only the
 * packed @twiml-guard packages are installed and no cloud SDK is:
 * - a handler whose token is a string or TWILIO_AUTH_TOKEN bundles with no externals, on every adapter,
 *   and the AWS bundle answers a signed request 200 and a forged one 403;
 * - a Secrets Manager handler bundles with the `@aws-sdk/*` external every Lambda bundler sets, keeps
 *   the SDK import for the runtime to resolve, and without the SDK answers 503 with a log line that
 *   names the package to install;
 * - where the SDK IS installed (Key Vault, Secret Manager), the bundle contains it.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURES } from '@twiml-guard/test-support/platforms/lambda-events';
import { AUTH_TOKEN, OTHER_TOKEN, signedEvent } from '@twiml-guard/test-support/platforms/lambda-sign';
import { installPackedPackages, ROOT } from './support/packed-packages';

// The CLI users run (`npx esbuild`): a native binary, or a JS launcher where the platform has none.
const ESBUILD = join(ROOT, 'node_modules/.bin/esbuild');
const ADAPTERS = ['aws-lambda', 'azure-functions', 'gcp-functions', 'twilio-functions', 'fetch'] as const;

let project: string;

beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), 'twiml-guard-bundle-'));
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'user-project', private: true }));
  installPackedPackages(project, ['core', ...ADAPTERS]);
  mkdirSync(join(project, 'src'));
}, 120_000);

afterAll(() => rmSync(project, { recursive: true, force: true }));

/** Runs esbuild's CLI as a user would; returns the bundle's text or fails with esbuild's messages. */
function bundle(name: string, source: string, flags: string[] = [], env: NodeJS.ProcessEnv = {}): { file: string; text: string } {
  writeFileSync(join(project, 'src', `${name}.ts`), source);
  const file = join(project, 'out', `${name}.js`);
  const run = spawnSync(ESBUILD, [`src/${name}.ts`, '--bundle', '--platform=node', `--outfile=${file}`, '--log-level=warning', ...flags], {
    cwd: project,
    encoding: 'utf8',
    env: { ...process.env, NODE_PATH: '', ...env },
  });
  if (run.status !== 0) throw new Error(`esbuild ${name} failed:\n${run.stderr}`);
  return { file, text: readFileSync(file, 'utf8') };
}

/** Invokes an exported Lambda handler of a bundle in a fresh Node process (cwd: the user's project). */
function invokeLambda(
  file: string,
  event: unknown,
  env: NodeJS.ProcessEnv,
): { result: { statusCode: number; body: string }; stderr: string } {
  const script = `require(${JSON.stringify(file)}).handler(JSON.parse(process.argv[1]), { awsRequestId: 'r1' }).then((r) => process.stdout.write(JSON.stringify(r)))`;
  const run = spawnSync(process.execPath, ['-e', script, JSON.stringify(event)], {
    cwd: project,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, ...env },
  });
  if (run.status !== 0) throw new Error(`the bundle failed: ${run.stderr}`);
  return { result: JSON.parse(run.stdout) as { statusCode: number; body: string }, stderr: run.stderr };
}

const fixture = FIXTURES.find((candidate) => !candidate.needsConfig && candidate.kind !== 'json')!;

describe('a token from a string or TWILIO_AUTH_TOKEN: no externals, no SDK', () => {
  test.each(ADAPTERS)('@twiml-guard/%s bundles with no externals, everything inlined', (adapter) => {
    const { text } = bundle(
      `string-token-${adapter}`,
      `import { twilioWebhook, MessagingResponse } from '@twiml-guard/${adapter}';\n` +
        `export const handler = twilioWebhook(() => new MessagingResponse().message('bundled'), { authToken: 'a-token-in-code' });\n`,
    );
    expect(text).not.toMatch(/require\("@twiml-guard\//);
    expect(text).toContain('twilioWebhook');
  });

  test('the AWS bundle (token from TWILIO_AUTH_TOKEN) answers signed 200 and forged 403', () => {
    const { file, text } = bundle(
      'env-token-aws',
      `import { twilioWebhook, MessagingResponse } from '@twiml-guard/aws-lambda';\n` +
        `export const handler = twilioWebhook(() => { const twiml = new MessagingResponse(); twiml.message('bundled'); return twiml; });\n`,
    );
    expect(text).not.toMatch(/require\("@twiml-guard\//);
    const signed = invokeLambda(file, signedEvent(fixture), { TWILIO_AUTH_TOKEN: AUTH_TOKEN });
    expect(signed.result.statusCode).toBe(200);
    expect(signed.result.body).toContain('<Message>bundled</Message>');
    expect(invokeLambda(file, signedEvent(fixture, OTHER_TOKEN), { TWILIO_AUTH_TOKEN: AUTH_TOKEN }).result.statusCode).toBe(403);
  });
});

describe('secret-store sources', () => {
  const secretsManagerHandler =
    `import { twilioWebhook, secretsManagerTokens } from '@twiml-guard/aws-lambda';\n` +
    `export const handler = twilioWebhook(() => '<Response/>', { authToken: secretsManagerTokens({ secretId: 'twilio/auth-token', region: 'us-east-1' }) });\n`;

  test('Secrets Manager with the @aws-sdk/* external: bundles, the import stays for the runtime', () => {
    const { text } = bundle('secrets-manager-external', secretsManagerHandler, ['--external:@aws-sdk/*']);
    expect(text).toContain('import("@aws-sdk/client-secrets-manager")');
  });

  test('Secrets Manager without the SDK anywhere: bundles; a request then gets 503 and a log line naming the package', () => {
    const { file } = bundle('secrets-manager-missing', secretsManagerHandler);
    const { result, stderr } = invokeLambda(file, signedEvent(fixture), {});
    expect(result.statusCode).toBe(503);
    expect(stderr).toContain('@aws-sdk/client-secrets-manager could not be loaded: install it');
    expect(stderr).not.toContain(AUTH_TOKEN);
  });

  // The SDKs resolve from the monorepo's node_modules here, as they would from the user's own.
  const installed = { NODE_PATH: join(ROOT, 'node_modules') };

  test('Key Vault with @azure/keyvault-secrets and @azure/identity installed: both are bundled', () => {
    const { text } = bundle(
      'key-vault-installed',
      `import { twilioWebhook, keyVaultTokens } from '@twiml-guard/azure-functions';\n` +
        `export const sms = twilioWebhook(() => '<Response/>', { authToken: keyVaultTokens({ vaultUrl: 'https://example.vault.azure.net', secretName: 'twilio-auth-token' }) });\n`,
      [],
      installed,
    );
    expect(text).not.toContain('import("@azure/keyvault-secrets")');
    expect(text).not.toContain('import("@azure/identity")');
    expect(text).toContain('node_modules/@azure/keyvault-secrets/');
    expect(text).toContain('node_modules/@azure/identity/');
  });

  test('Secret Manager with @google-cloud/secret-manager installed: it is bundled', () => {
    const { text } = bundle(
      'secret-manager-installed',
      `import { twilioWebhook, secretManagerTokens } from '@twiml-guard/gcp-functions';\n` +
        `export const sms = twilioWebhook(() => '<Response/>', { authToken: secretManagerTokens({ name: 'projects/p/secrets/twilio-auth-token' }) });\n`,
      [],
      installed,
    );
    expect(text).not.toContain('import("@google-cloud/secret-manager")');
    expect(text).toContain('node_modules/@google-cloud/secret-manager/');
  });
});

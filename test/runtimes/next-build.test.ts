/**
 * The Next.js edge route from @twiml-guard/fetch's README, as written there, built by `next build`
 * (Next.js' own bundler: Turbopack, edge conditions) and served by `next start`, with the token in
 * the environment as on Vercel: signed 200, forged 403, unsigned 400, JSON bodySHA256 200.
 */
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { installPackages, tempDir } from './support/bundle';
import { spawnServer, type RunningApp } from './support/servers';
import { signedFormRequest, signedJsonRequest, smsParams } from '@twiml-guard/test-support/signed-request';
import { send, type Sendable } from './support/webhook-cases';

jest.setTimeout(240_000);

const ROOT = join(__dirname, '..', '..');
const TOKEN = 'c0ffee00c0ffee00c0ffee00c0ffee00';
const NEXT_BIN = join(ROOT, 'node_modules', 'next', 'dist', 'bin', 'next');
const run = promisify(execFile);

function routeFromReadme(): string {
  const readme = readFileSync(join(ROOT, 'packages', 'fetch', 'README.md'), 'utf8');
  const block = /```ts\n([\s\S]*?)```/.exec(readme.slice(readme.indexOf('## Next.js / Vercel Edge')))?.[1];
  if (!block) throw new Error('no ts block under "## Next.js / Vercel Edge" in packages/fetch/README.md');
  return block;
}

/** A Next.js app: the README's route, the published @twiml-guard files, Next/React/TypeScript from the repository's devDependencies. */
function writeNextApp(): string {
  const dir = tempDir('next-app');
  installPackages(dir);
  for (const name of ['next', 'react', 'react-dom', 'typescript', '@types/react', '@types/node']) {
    mkdirSync(join(dir, 'node_modules', name, '..'), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules', name), join(dir, 'node_modules', name), 'dir');
  }
  mkdirSync(join(dir, 'app', 'sms'), { recursive: true });
  writeFileSync(join(dir, 'app', 'sms', 'route.ts'), routeFromReadme());
  writeFileSync(
    join(dir, 'app', 'layout.tsx'),
    'export default function RootLayout({ children }: { children: React.ReactNode }) {\n  return <html><body>{children}</body></html>;\n}\n',
  );
  writeFileSync(join(dir, 'package.json'), '{ "private": true }\n');
  // The packages are symlinked from outside the app: Turbopack's root must contain them.
  writeFileSync(join(dir, 'next.config.mjs'), "export default { turbopack: { root: '/' } };\n");
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        lib: ['dom', 'esnext'],
        strict: true,
        noEmit: true,
        module: 'esnext',
        moduleResolution: 'bundler',
        jsx: 'react-jsx',
        isolatedModules: true,
        skipLibCheck: true,
        esModuleInterop: true,
        plugins: [{ name: 'next' }],
      },
      include: ['**/*.ts', '**/*.tsx'],
      exclude: ['node_modules'],
    }),
  );
  return dir;
}

const env = { NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production' };
let app: RunningApp;
let port: string;

beforeAll(async () => {
  const dir = writeNextApp();
  await run(process.execPath, [NEXT_BIN, 'build'], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? dir, ...env },
    maxBuffer: 16 * 1024 * 1024,
  }).catch((error: Error & { stdout?: string; stderr?: string }) => {
    throw new Error(`next build failed:\n${error.stdout ?? ''}\n${error.stderr ?? ''}`);
  });
  app = await spawnServer(
    process.execPath,
    [NEXT_BIN, 'start', '-H', '127.0.0.1', '-p', '0'],
    { ...env, TWILIO_AUTH_TOKEN: TOKEN },
    /Local:\s+http:\/\/127\.0\.0\.1:(\d+)/,
    dir,
  );
  port = new URL(app.url).port;
});

afterAll(() => app?.stop());

/** `next start` hands the route a Request whose URL names `localhost` (its default hostname), whatever the Host header: Twilio signs what it called, so that is the URL signed here. */
const publicUrl = () => `http://localhost:${port}/sms`;

async function post(request: Sendable): Promise<{ status: number; text: string }> {
  const { status, text } = await send({ ...request, url: request.url.replace('//localhost:', '//127.0.0.1:') });
  return { status, text };
}

test('signed: 200 with the reply', async () => {
  const answer = await post(signedFormRequest({ token: TOKEN, url: publicUrl(), params: smsParams({ Body: 'next edge' }) }));
  expect(answer).toEqual({
    status: 200,
    text: '<?xml version="1.0" encoding="UTF-8"?><Response><Message>You said: next edge</Message></Response>',
  });
});

test('forged: 403; tampered: 403; unsigned: 400', async () => {
  const forged = await post(signedFormRequest({ token: 'f'.repeat(32), url: publicUrl(), params: smsParams() }));
  const params = smsParams({ Body: 'a' });
  const tampered = await post(
    signedFormRequest({
      token: TOKEN,
      url: publicUrl(),
      params,
      body: new URLSearchParams({ ...(params as Record<string, string>), Body: 'b' }).toString(),
    }),
  );
  const signed = signedFormRequest({ token: TOKEN, url: publicUrl(), params: smsParams() });
  const { 'x-twilio-signature': _signature, ...headers } = signed.headers as Record<string, string>;
  const unsigned = await post({ ...signed, headers });
  expect([forged.status, tampered.status, unsigned.status]).toEqual([403, 403, 400]);
});

test('a JSON webhook (bodySHA256) reaches the handler, signed', async () => {
  const answer = await post(signedJsonRequest({ token: TOKEN, url: publicUrl(), json: '{"Body":"json"}' }));
  expect(answer.status).toBe(200);
});

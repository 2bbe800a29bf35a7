/**
 * The Next.js / Vercel Edge route in @twiml-guard/fetch's README, as written there: bundled the way
 * Next.js bundles edge code (`edge-light` condition, nothing external) and run in `edge-runtime`
 * (the runtime Next.js and Vercel run edge code in) with `process.env` as Vercel provides it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundle, CONDITIONS, installPackages, tempDir } from './support/bundle';
import { signedFormRequest, smsParams } from '@twiml-guard/test-support/signed-request';
import { send, type Sendable } from './support/webhook-cases';

jest.setTimeout(60_000);

const README = join(__dirname, '..', '..', 'packages', 'fetch', 'README.md');
const TOKEN = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';

/** The first ```ts block under the "Next.js / Vercel Edge" heading. */
function routeFromReadme(): string {
  const readme = readFileSync(README, 'utf8');
  const section = readme.slice(readme.indexOf('## Next.js / Vercel Edge'));
  const block = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
  if (!block) throw new Error('no ts block under "## Next.js / Vercel Edge" in packages/fetch/README.md');
  return block;
}

let server: { url: string; close(): Promise<void> };

beforeAll(async () => {
  const dir = tempDir('next-edge');
  installPackages(dir);
  const route = routeFromReadme();
  expect(route).toContain("export const runtime = 'edge';");
  writeFileSync(join(dir, 'route.ts'), route);
  writeFileSync(
    join(dir, 'entry.ts'),
    `import { POST } from './route.ts';\naddEventListener('fetch', (event) => event.respondWith(POST(event.request)));\n`,
  );
  const script = await bundle(join(dir, 'entry.ts'), { conditions: CONDITIONS.edgeLight, format: 'iife' });
  const { EdgeRuntime, runServer } = await import('edge-runtime');
  const runtime = new EdgeRuntime({
    initialCode: script,
    extend: (context) => Object.assign(context, { process: { env: { TWILIO_AUTH_TOKEN: TOKEN } } }),
  });
  const started = await runServer({ runtime, host: '127.0.0.1', port: 0 });
  server = { url: new URL(started.url).origin, close: () => started.close() };
});

afterAll(() => server?.close());

async function post(request: Sendable): Promise<{ status: number; text: string }> {
  const { status, text } = await send(request);
  return { status, text };
}

test('signed: 200 with the reply', async () => {
  const answer = await post(signedFormRequest({ token: TOKEN, url: `${server.url}/sms`, params: smsParams({ Body: 'edge route' }) }));
  expect(answer).toEqual({
    status: 200,
    text: '<?xml version="1.0" encoding="UTF-8"?><Response><Message>You said: edge route</Message></Response>',
  });
});

test('forged: 403; unsigned: 400', async () => {
  const forged = await post(signedFormRequest({ token: 'f'.repeat(32), url: `${server.url}/sms`, params: smsParams() }));
  const signed = signedFormRequest({ token: TOKEN, url: `${server.url}/sms`, params: smsParams() });
  const { 'x-twilio-signature': _signature, ...headers } = signed.headers as Record<string, string>;
  const unsigned = await post({ ...signed, headers });
  expect([forged.status, unsigned.status]).toEqual([403, 400]);
});

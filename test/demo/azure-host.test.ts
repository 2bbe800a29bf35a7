/**
 * The demo's local Azure Functions host (scripts/demo/azure-host.mjs) serving test/demo/azure-app, a
 * Functions v4 app that echoes its HttpRequest. What the function sees must be what the real host
 * hands the Node.js worker: the URL `{scheme}://{Host}{Path}{QueryString}` through undici (`'` in the
 * query becomes %27), lower-case headers, route params, the query, the body byte for byte.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';

const root = join(__dirname, '../..');
const hostScript = join(root, 'scripts/demo/azure-host.mjs');
const app = join(__dirname, 'azure-app');

let host: ChildProcess | undefined;
let port = 0;
let output = '';

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Buffer;
}

/** Raw request target on the wire: fetch would normalise it before the host ever saw it. */
function send(method: string, target: string, body?: Buffer, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method,
        path: target,
        headers: { ...headers, ...(body ? { 'content-length': String(body.length) } : {}) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Wait (bounded) for a line to arrive on the host's pipes: it logs after answering, and stderr may lag stdout. */
async function logged(text: string): Promise<void> {
  for (let attempt = 0; attempt < 100 && !output.includes(text); attempt++) await new Promise((resolve) => setTimeout(resolve, 20));
}

beforeAll(async () => {
  host = spawn(process.execPath, [hostScript, '--app', app, '--port', '0'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
      const match = /echo: \[GET,POST\] http:\/\/127\.0\.0\.1:(\d+)\//.exec(output);
      if (match && output.includes('Host started')) {
        port = Number(match[1]);
        resolve();
      }
    };
    host?.stdout?.on('data', onData);
    host?.stderr?.on('data', onData);
    host?.once('exit', (code) => reject(new Error(`azure-host exited with ${code}:\n${output}`)));
  });
});

afterAll(async () => {
  if (!host || host.exitCode !== null || host.signalCode !== null) return;
  const exited = new Promise((resolve) => host?.once('exit', resolve));
  host.kill('SIGTERM');
  await exited;
});

test('lists the HTTP functions it serves with the host.json route prefix, and refuses to serve one that needs a function key', async () => {
  // Written to stderr, which may reach us after the stdout lines that marked the host ready.
  await logged('Skipping keyed');
  expect(output).toContain(`echo: [GET,POST] http://127.0.0.1:${port}/hooks/items/{id}/{rest?}`);
  expect(output).toContain(`fails: [POST] http://127.0.0.1:${port}/hooks/fails`);
  expect(output).toContain('Skipping keyed: authLevel "function" needs function keys');
});

test('hands the function an HttpRequest built like the Functions host builds it', async () => {
  const body = Buffer.from('Body=%C3%87a+va%3F&From=%2B15551230000&Body=second', 'utf8');
  const answer = await send('POST', "/hooks/items/42?name=O'Hara&x=a+b&x=c", body, {
    'Content-Type': 'application/x-www-form-urlencoded',
    'X-Twilio-Signature': 'c2lnbmF0dXJlIGZvciB0aGUgZWNobyB0ZXN0IQ==',
  });
  expect(answer.status).toBe(200);
  expect(answer.headers['content-type']).toBe('application/json');
  const seen = JSON.parse(answer.body.toString('utf8'));
  expect(seen).toMatchObject({
    url: `http://127.0.0.1:${port}/hooks/items/42?name=O%27Hara&x=a+b&x=c`,
    method: 'POST',
    params: { id: '42' },
    // The host's parsed query: repeated keys joined with a comma, `+` decoded.
    query: { name: "O'Hara", x: 'a b,c' },
    functionName: 'echo',
  });
  expect(seen.headers).toMatchObject({
    host: `127.0.0.1:${port}`,
    'content-type': 'application/x-www-form-urlencoded',
    'x-twilio-signature': 'c2lnbmF0dXJlIGZvciB0aGUgZWNobyB0ZXN0IQ==',
  });
  expect(Buffer.from(seen.body, 'base64').equals(body)).toBe(true);
  expect(answer.headers['x-invocation-id']).toMatch(/^[0-9a-f-]{36}$/);
});

test('routes case-insensitively, fills optional route parameters, and answers 404 for unknown routes and methods', async () => {
  const mixedCase = await send('GET', '/HOOKS/Items/7/extra');
  expect(mixedCase.status).toBe(200);
  expect(JSON.parse(mixedCase.body.toString('utf8'))).toMatchObject({ method: 'GET', params: { id: '7', rest: 'extra' } });
  expect((await send('GET', '/hooks/nothing-here')).status).toBe(404);
  expect((await send('PUT', '/hooks/items/7', Buffer.from('x'))).status).toBe(404);
  expect((await send('POST', '/api/items/7', Buffer.from('x'))).status).toBe(404);
  expect((await send('POST', '/hooks/keyed', Buffer.from('x'))).status).toBe(404);
});

test('a function that throws answers 500 and the failure is logged', async () => {
  const answer = await send('POST', '/hooks/fails', Buffer.from('{}'), { 'content-type': 'application/json' });
  expect(answer.status).toBe(500);
  await logged("Executed 'Functions.fails' (Failed");
  expect(output).toContain("Executed 'Functions.fails' (Failed");
  expect(output).toContain('handler failed on purpose');
});

/**
 * A local stand-in for an AWS JSON 1.1 service (Secrets Manager, SSM): `POST /` with `X-Amz-Target`,
 * JSON in and out, errors as 400 + `x-amzn-errortype` + `{"__type": …}` — what the real SDK parses.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeCall {
  readonly target: string;
  readonly input: Record<string, unknown>;
}

export type FakeAnswer =
  | { readonly output: Record<string, unknown>; readonly delayMs?: number }
  | { readonly error: string; readonly message?: string; readonly status?: number; readonly delayMs?: number };

export interface AwsJsonFake {
  readonly endpoint: string;
  readonly calls: FakeCall[];
  answer: (call: FakeCall) => FakeAnswer;
  close(): Promise<void>;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startAwsJsonFake(answer: (call: FakeCall) => FakeAnswer): Promise<AwsJsonFake> {
  const calls: FakeCall[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const fake = { calls, answer } as { calls: FakeCall[]; answer: (call: FakeCall) => FakeAnswer };
  const server: Server = createServer(async (request, response) => {
    const target = String(request.headers['x-amz-target'] ?? '');
    const text = await readBody(request);
    const call: FakeCall = { target, input: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
    if (
      request.method !== 'POST' ||
      request.url !== '/' ||
      !String(request.headers['content-type']).startsWith('application/x-amz-json-1.1') ||
      !request.headers.authorization
    ) {
      response.writeHead(400, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': 'BadRequest' });
      response.end(JSON.stringify({ __type: 'BadRequest', message: 'not an AWS JSON 1.1 request' }));
      return;
    }
    calls.push(call);
    const result = fake.answer(call);
    const send = (): void => {
      if ('output' in result) {
        response.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
        response.end(JSON.stringify(result.output));
      } else {
        response.writeHead(result.status ?? 400, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': result.error });
        response.end(JSON.stringify({ __type: result.error, message: result.message ?? result.error }));
      }
    };
    if (result.delayMs) {
      const timer = setTimeout(() => {
        timers.delete(timer);
        send();
      }, result.delayMs);
      timers.add(timer);
    } else send();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(fake, {
    endpoint: `http://127.0.0.1:${port}`,
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  }) as AwsJsonFake;
}

export const FAKE_CLIENT_CONFIG = (endpoint: string) => ({
  region: 'us-east-1',
  endpoint,
  credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
  maxAttempts: 1,
});

/** The HTTP server under a local fake of a secret store: on 127.0.0.1:0, each request's body read whole before it is answered. */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeServer {
  readonly port: number;
  /** Requests received and not answered yet. */
  pending(): number;
  close(): Promise<void>;
}

/** Listens on a free port of 127.0.0.1 and hands `answer` each request with its body (UTF-8). */
export async function startFakeServer(
  answer: (request: IncomingMessage, body: string, response: ServerResponse) => void,
): Promise<FakeServer> {
  let pending = 0;
  const server = createServer((request, response) => {
    pending++;
    response.on('close', () => pending--);
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => answer(request, Buffer.concat(chunks).toString('utf8'), response));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    pending: () => pending,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

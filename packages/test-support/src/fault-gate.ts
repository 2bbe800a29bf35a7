/**
 * A switchable HTTP gate in front of a local store fake, so a test can take any secret store down
 * the way it fails in production and bring it back without touching the code under test:
 * `refused` (nothing listens: connection refused), `error` (a 5xx), `slow` (requests are held
 * until the gate is opened again or closed), `throttled` (the store's own throttling answer).
 */
import { createServer, request as forwardRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type FaultMode = 'up' | 'refused' | 'error' | 'slow' | 'throttled';

export interface CannedResponse {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body: string;
}

export interface FaultGateOptions {
  /** The fake behind the gate, e.g. `http://127.0.0.1:1234`. */
  readonly target: string;
  /** What the store answers when it fails (`error`) and when it throttles (`throttled`). */
  readonly error: CannedResponse;
  readonly throttled: CannedResponse;
}

export interface FaultGate {
  /** `http://127.0.0.1:PORT`; the port stays the same across `refused` and back. */
  readonly url: string;
  readonly port: number;
  readonly mode: FaultMode;
  /** Requests that reached the gate (including refused-by-fault ones, not connection attempts while `refused`). */
  readonly received: number;
  /** Requests held by `slow` right now. */
  held(): number;
  setMode(mode: FaultMode): Promise<void>;
  close(): Promise<void>;
}

interface Held {
  readonly request: IncomingMessage;
  readonly response: ServerResponse;
  readonly body: Buffer;
}

async function readAll(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function startFaultGate(options: FaultGateOptions): Promise<FaultGate> {
  const target = /^http:\/\/([^:/]+):(\d+)$/.exec(options.target);
  if (!target) throw new Error(`fault gate target must be http://host:port, got ${options.target}`);
  const [, targetHost = '127.0.0.1', targetPort = '0'] = target;
  let mode: FaultMode = 'up';
  let received = 0;
  let closed = false;
  const held: Held[] = [];

  const answer = (response: ServerResponse, canned: CannedResponse): void => {
    response.writeHead(canned.status, { 'content-length': String(Buffer.byteLength(canned.body)), ...canned.headers });
    response.end(canned.body);
  };

  const forward = ({ request, response, body }: Held): void => {
    const outgoing = forwardRequest(
      { host: targetHost, port: Number(targetPort), method: request.method, path: request.url, headers: request.headers },
      (upstream) => {
        response.writeHead(upstream.statusCode ?? 502, upstream.headers);
        upstream.pipe(response);
      },
    );
    outgoing.on('error', () => response.destroy());
    outgoing.end(body);
  };

  const server: Server = createServer(async (request, response) => {
    const body = await readAll(request);
    received++;
    if (mode === 'error') return answer(response, options.error);
    if (mode === 'throttled') return answer(response, options.throttled);
    if (mode === 'slow') {
      held.push({ request, response, body });
      return undefined;
    }
    return forward({ request, response, body });
  });

  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  const stopListening = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  const dropHeld = () => {
    for (const { response } of held.splice(0)) response.destroy();
  };

  await listen(0);
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    get mode() {
      return mode;
    },
    get received() {
      return received;
    },
    held: () => held.length,
    async setMode(next) {
      if (closed) throw new Error('fault gate is closed');
      if (next === mode) return;
      const previous = mode;
      mode = next;
      if (previous === 'refused') await listen(port);
      if (previous === 'slow') {
        // Held calls finish the way the store now behaves: answered when it is back, dropped otherwise.
        if (next === 'up') for (const call of held.splice(0)) forward(call);
        else dropHeld();
      }
      if (next === 'refused') await stopListening();
    },
    async close() {
      if (closed) return;
      closed = true;
      dropHeld();
      if (mode !== 'refused') await stopListening();
    },
  };
}

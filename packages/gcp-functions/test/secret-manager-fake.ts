/**
 * A local HTTP fake of the Secret Manager REST API (the client's `fallback: true` transport):
 * `GET /v1/projects/P/secrets/S/versions/V:access`.
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeSecret {
  /** Payloads; version n is `versions[n - 1]`. */
  readonly versions: string[];
  readonly aliases: Record<string, number>;
  readonly disabled: Set<number>;
}

export interface SecretManagerFake {
  readonly port: number;
  readonly secrets: Map<string, FakeSecret>;
  /** Requested version resource names, e.g. `projects/p/secrets/s/versions/latest`. */
  readonly requests: string[];
  mode: 'up' | 'down' | 'hang';
  pending(): number;
  close(): Promise<void>;
}

export function fakeSecret(...versions: string[]): FakeSecret {
  return { versions, aliases: {}, disabled: new Set() };
}

export async function startSecretManagerFake(): Promise<SecretManagerFake> {
  const secrets = new Map<string, FakeSecret>();
  const requests: string[] = [];
  let pending = 0;
  const server: Server = createServer((request, response) => {
    pending++;
    response.on('close', () => pending--);
    request.resume();
    request.on('end', () => {
      const path = decodeURIComponent((request.url ?? '').split('?')[0] ?? '');
      const match = /^\/v1\/(projects\/[^/]+\/secrets\/[^/]+)\/versions\/([^/:]+):access$/.exec(path);
      if (request.headers.authorization !== 'Bearer t') return error(response, 401, 'UNAUTHENTICATED', 'no token');
      if (!match) return error(response, 404, 'NOT_FOUND', `no route ${path}`);
      const [, secretName = '', selector = ''] = match;
      requests.push(`${secretName}/versions/${selector}`);
      if (fake.mode === 'hang') return undefined;
      if (fake.mode === 'down') return error(response, 500, 'INTERNAL', 'the fake store is down');
      const secret = secrets.get(secretName);
      const number = selector === 'latest' ? secret?.versions.length : /^\d+$/.test(selector) ? Number(selector) : secret?.aliases[selector];
      const payload = number !== undefined ? secret?.versions[number - 1] : undefined;
      if (!secret || number === undefined || payload === undefined) {
        return error(response, 404, 'NOT_FOUND', `Secret Version [${secretName}/versions/${selector}] not found.`);
      }
      if (secret.disabled.has(number)) return error(response, 400, 'FAILED_PRECONDITION', `Secret Version [${secretName}/versions/${number}] is in DISABLED state.`);
      response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
      response.end(JSON.stringify({ name: `${secretName}/versions/${number}`, payload: { data: Buffer.from(payload).toString('base64') } }));
      return undefined;
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  const fake: SecretManagerFake = {
    port: (server.address() as AddressInfo).port,
    secrets,
    requests,
    mode: 'up',
    pending: () => pending,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };

  function error(response: ServerResponse, status: number, code: string, message: string): void {
    response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
    response.end(JSON.stringify({ error: { code: status, message, status: code } }));
  }

  return fake;
}

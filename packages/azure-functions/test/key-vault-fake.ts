/**
 * A local HTTP fake of the Key Vault secrets API, enough for the real
 * `SecretClient`: the bearer challenge, latest / versioned GET, and the version list.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeVersion {
  readonly version: string;
  readonly value: string;
  enabled?: boolean;
  /** Epoch seconds, as Key Vault sends them. */
  readonly created: number;
  exp?: number;
}

export interface KeyVaultFake {
  readonly url: string;
  readonly secrets: Map<string, FakeVersion[]>;
  /** Authenticated requests by path (without the query). */
  readonly requests: string[];
  /** `'up'`, `'down'` (500 on every call) or `'hang'` (never answers). */
  mode: 'up' | 'down' | 'hang';
  /** Requests received and not answered yet. */
  pending(): number;
  close(): Promise<void>;
}

export async function startKeyVaultFake(): Promise<KeyVaultFake> {
  const secrets = new Map<string, FakeVersion[]>();
  const requests: string[] = [];
  let pending = 0;
  const server: Server = createServer((request, response) => {
    pending++;
    response.on('close', () => pending--);
    request.resume();
    request.on('end', () => answer(request, response));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const fake: KeyVaultFake = {
    url: base,
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

  function json(response: ServerResponse, status: number, body: unknown): void {
    response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
    response.end(JSON.stringify(body));
  }

  function secretBody(name: string, version: FakeVersion): unknown {
    return {
      value: version.value,
      id: `${base}/secrets/${name}/${version.version}`,
      attributes: { enabled: version.enabled !== false, created: version.created, updated: version.created, ...(version.exp !== undefined ? { exp: version.exp } : {}) },
      tags: {},
    };
  }

  function answer(request: IncomingMessage, response: ServerResponse): void {
    if (!request.headers.authorization) {
      response.writeHead(401, { 'www-authenticate': 'Bearer authorization="https://login.microsoftonline.com/tenant", resource="https://vault.azure.net"' });
      response.end();
      return;
    }
    const path = (request.url ?? '').split('?')[0] ?? '';
    requests.push(path);
    if (fake.mode === 'hang') return;
    if (fake.mode === 'down') {
      json(response, 500, { error: { code: 'InternalServerError', message: 'the fake vault is down' } });
      return;
    }
    const match = /^\/secrets\/([^/]+)\/?([^/]*)$/.exec(path);
    const name = match?.[1] ?? '';
    const versions = secrets.get(name);
    if (!match || !versions || versions.length === 0) {
      json(response, 404, { error: { code: 'SecretNotFound', message: `A secret with (name/id) ${name} was not found in this key vault.` } });
      return;
    }
    const selector = match[2] ?? '';
    if (selector === 'versions') {
      json(response, 200, {
        value: versions.map((version) => {
          const { value: _value, ...item } = secretBody(name, version) as { value: string };
          return item;
        }),
        nextLink: null,
      });
      return;
    }
    const version = selector === '' ? versions[versions.length - 1] : versions.find((candidate) => candidate.version === selector);
    if (!version) {
      json(response, 404, { error: { code: 'SecretNotFound', message: `version ${selector} not found` } });
      return;
    }
    if (version.enabled === false) {
      json(response, 403, { error: { code: 'Forbidden', message: 'Operation get is not allowed on a disabled secret.' } });
      return;
    }
    json(response, 200, secretBody(name, version));
  }

  return fake;
}

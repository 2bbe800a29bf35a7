/**
 * A local Key Vault for rotation tests (the wire shapes of the Key Vault REST API, as in
 * packages/azure-functions/test/key-vault-fake.ts) plus what a rotation writes: `PUT /secrets/{name}`
 * (setSecret) creates a version with its attributes and tags, and `PATCH /secrets/{name}/{version}`
 * (updateSecretProperties) replaces a version's tags. Enough for the real `SecretClient`.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface KeyVaultVersion {
  readonly version: string;
  readonly value: string;
  /** Epoch seconds, as Key Vault sends them. */
  readonly created: number;
  readonly exp?: number;
  readonly contentType?: string;
  /** Replaced by `PATCH /secrets/{name}/{version}` (updateSecretProperties). */
  tags: Record<string, string>;
}

export interface KeyVaultRotationFake {
  readonly url: string;
  readonly versions: KeyVaultVersion[];
  latest(): KeyVaultVersion | undefined;
  close(): Promise<void>;
}

export async function startKeyVaultRotationFake(secretName: string, initial: string, initialExp: number): Promise<KeyVaultRotationFake> {
  const versions: KeyVaultVersion[] = [{ version: newVersion(), value: initial, created: now(), exp: initialExp, tags: {} }];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => answer(request, Buffer.concat(chunks).toString('utf8'), response));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  function json(response: ServerResponse, status: number, body: unknown): void {
    response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
    response.end(JSON.stringify(body));
  }
  function bundle(version: KeyVaultVersion): unknown {
    return {
      value: version.value,
      id: `${base}/secrets/${secretName}/${version.version}`,
      attributes: { enabled: true, created: version.created, updated: version.created, ...(version.exp !== undefined ? { exp: version.exp } : {}) },
      tags: version.tags,
      ...(version.contentType ? { contentType: version.contentType } : {}),
    };
  }

  function answer(request: IncomingMessage, body: string, response: ServerResponse): void {
    if (!request.headers.authorization) {
      response.writeHead(401, { 'www-authenticate': 'Bearer authorization="https://login.microsoftonline.com/tenant", resource="https://vault.azure.net"' });
      response.end();
      return;
    }
    const path = (request.url ?? '').split('?')[0] ?? '';
    const match = /^\/secrets\/([^/]+)\/?([^/]*)$/.exec(path);
    if (!match || match[1] !== secretName) return json(response, 404, { error: { code: 'SecretNotFound', message: `A secret with (name/id) ${match?.[1] ?? path} was not found in this key vault.` } });
    if (request.method === 'PUT' && !match[2]) {
      const input = JSON.parse(body) as { value?: string; contentType?: string; tags?: Record<string, string>; attributes?: { exp?: number } };
      if (typeof input.value !== 'string') return json(response, 400, { error: { code: 'BadParameter', message: 'value is required' } });
      const version: KeyVaultVersion = {
        version: newVersion(),
        value: input.value,
        created: now(),
        ...(input.attributes?.exp !== undefined ? { exp: input.attributes.exp } : {}),
        ...(input.contentType ? { contentType: input.contentType } : {}),
        tags: input.tags ?? {},
      };
      versions.push(version);
      return json(response, 200, bundle(version));
    }
    if (request.method === 'PATCH' && match[2]) {
      const target = versions.find((candidate) => candidate.version === match[2]);
      if (!target) return json(response, 404, { error: { code: 'SecretNotFound', message: `version ${match[2]} not found` } });
      const input = JSON.parse(body) as { tags?: Record<string, string> };
      if (input.tags !== undefined) target.tags = input.tags;
      const { value: _value, ...properties } = bundle(target) as Record<string, unknown>;
      return json(response, 200, properties);
    }
    if (request.method !== 'GET') return json(response, 405, { error: { code: 'MethodNotAllowed', message: request.method } });
    const selector = match[2] ?? '';
    const version = selector === '' ? versions[versions.length - 1] : versions.find((candidate) => candidate.version === selector);
    if (!version) return json(response, 404, { error: { code: 'SecretNotFound', message: `version ${selector} not found` } });
    return json(response, 200, bundle(version));
  }

  return {
    url: base,
    versions,
    latest: () => versions[versions.length - 1],
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function newVersion(): string {
  return randomBytes(16).toString('hex');
}
function now(): number {
  return Math.floor(Date.now() / 1000);
}

/**
 * A local HTTP fake of the Key Vault secrets API, enough for the real `SecretClient`: the bearer
 * challenge, latest / versioned GET, the version list, and what a rotation writes: `PUT /secrets/{name}`
 * (setSecret) creates a version with its attributes and tags, `PATCH /secrets/{name}/{version}`
 * (updateSecretProperties) replaces a version's tags. `mode` takes the whole vault down or makes it hang.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { startFakeServer } from './fake-server.js';

export interface FakeVersion {
  readonly version: string;
  readonly value: string;
  enabled?: boolean;
  /** Epoch seconds, as Key Vault sends them. */
  readonly created: number;
  exp?: number;
  readonly contentType?: string;
  /** Replaced by `PATCH /secrets/{name}/{version}` (updateSecretProperties); none is `{}`. */
  tags?: Record<string, string>;
}

/** A version as a rotation writes it: it always carries tags. */
export type KeyVaultVersion = FakeVersion & { tags: Record<string, string> };

export interface KeyVaultFake {
  readonly url: string;
  /** Versions per secret name, oldest first: the last one is the latest. */
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
  const server = await startFakeServer(answer);
  const base = `http://127.0.0.1:${server.port}`;

  const fake: KeyVaultFake = {
    url: base,
    secrets,
    requests,
    mode: 'up',
    pending: server.pending,
    close: server.close,
  };

  function json(response: ServerResponse, status: number, body: unknown): void {
    response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
    response.end(JSON.stringify(body));
  }

  function secretBody(name: string, version: FakeVersion): Record<string, unknown> {
    return {
      value: version.value,
      id: `${base}/secrets/${name}/${version.version}`,
      attributes: {
        enabled: version.enabled !== false,
        created: version.created,
        updated: version.created,
        ...(version.exp !== undefined ? { exp: version.exp } : {}),
      },
      tags: version.tags ?? {},
      ...(version.contentType ? { contentType: version.contentType } : {}),
    };
  }

  function withoutValue(name: string, version: FakeVersion): Record<string, unknown> {
    const { value: _value, ...properties } = secretBody(name, version);
    return properties;
  }

  function answer(request: IncomingMessage, body: string, response: ServerResponse): void {
    if (!request.headers.authorization) {
      response.writeHead(401, {
        'www-authenticate': 'Bearer authorization="https://login.microsoftonline.com/tenant", resource="https://vault.azure.net"',
      });
      response.end();
      return;
    }
    const path = (request.url ?? '').split('?')[0] ?? '';
    requests.push(path);
    if (fake.mode === 'hang') return;
    if (fake.mode === 'down') return json(response, 500, { error: { code: 'InternalServerError', message: 'the fake vault is down' } });
    const match = /^\/secrets\/([^/]+)\/?([^/]*)$/.exec(path);
    const name = match?.[1] ?? '';
    const selector = match?.[2] ?? '';
    if (match && request.method === 'PUT' && !selector) return setSecret(name, body, response);
    const versions = secrets.get(name);
    if (!match || !versions || versions.length === 0) {
      return json(response, 404, {
        error: { code: 'SecretNotFound', message: `A secret with (name/id) ${match ? name : path} was not found in this key vault.` },
      });
    }
    if (request.method === 'PATCH' && selector) return updateProperties(name, versions, selector, body, response);
    if (request.method !== 'GET') return json(response, 405, { error: { code: 'MethodNotAllowed', message: request.method } });
    if (selector === 'versions')
      return json(response, 200, { value: versions.map((version) => withoutValue(name, version)), nextLink: null });
    const version = selector === '' ? versions[versions.length - 1] : versions.find((candidate) => candidate.version === selector);
    if (!version) return json(response, 404, { error: { code: 'SecretNotFound', message: `version ${selector} not found` } });
    if (version.enabled === false)
      return json(response, 403, { error: { code: 'Forbidden', message: 'Operation get is not allowed on a disabled secret.' } });
    return json(response, 200, secretBody(name, version));
  }

  function setSecret(name: string, body: string, response: ServerResponse): void {
    const input = JSON.parse(body) as {
      value?: string;
      contentType?: string;
      tags?: Record<string, string>;
      attributes?: { exp?: number };
    };
    if (typeof input.value !== 'string') return json(response, 400, { error: { code: 'BadParameter', message: 'value is required' } });
    const version: KeyVaultVersion = {
      version: newVersion(),
      value: input.value,
      created: nowSeconds(),
      ...(input.attributes?.exp !== undefined ? { exp: input.attributes.exp } : {}),
      ...(input.contentType ? { contentType: input.contentType } : {}),
      tags: input.tags ?? {},
    };
    const versions = secrets.get(name) ?? [];
    versions.push(version);
    secrets.set(name, versions);
    return json(response, 200, secretBody(name, version));
  }

  function updateProperties(name: string, versions: FakeVersion[], selector: string, body: string, response: ServerResponse): void {
    const target = versions.find((candidate) => candidate.version === selector);
    if (!target) return json(response, 404, { error: { code: 'SecretNotFound', message: `version ${selector} not found` } });
    const input = JSON.parse(body) as { tags?: Record<string, string> };
    if (input.tags !== undefined) target.tags = input.tags;
    return json(response, 200, withoutValue(name, target));
  }

  return fake;
}

export interface KeyVaultRotationFake {
  readonly url: string;
  /** The one secret's versions, oldest first. */
  readonly versions: KeyVaultVersion[];
  latest(): KeyVaultVersion | undefined;
  close(): Promise<void>;
}

/** The vault holding one secret, `secretName`, with one version (`initial`, expiring at `initialExp`): what a rotation starts from. */
export async function startKeyVaultRotationFake(secretName: string, initial: string, initialExp: number): Promise<KeyVaultRotationFake> {
  const vault = await startKeyVaultFake();
  const versions: KeyVaultVersion[] = [{ version: newVersion(), value: initial, created: nowSeconds(), exp: initialExp, tags: {} }];
  vault.secrets.set(secretName, versions);
  return {
    url: vault.url,
    versions,
    latest: () => versions[versions.length - 1],
    close: () => vault.close(),
  };
}

function newVersion(): string {
  return randomBytes(16).toString('hex');
}
function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/**
 * A local HTTP fake of the Secret Manager REST API (the client's `fallback: true` transport):
 * `GET …/versions/{n|latest|alias}:access`, the secret's metadata (`GET` / `PATCH projects/P/secrets/S`,
 * annotations guarded by the secret's etag) and `POST projects/P/secrets/S:addVersion`. Each added
 * version would publish SECRET_VERSION_ADD on the secret's topics: `published` records those messages,
 * so a test can feed them back to a rotation function. As Secret Manager does, it names the project by
 * NUMBER in every name it returns and publishes, and accepts either form in requests.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { startFakeServer } from './fake-server.js';

export interface FakeSecret {
  /** Payloads; version n is `versions[n - 1]`. */
  readonly versions: string[];
  readonly aliases: Record<string, number>;
  readonly disabled: Set<number>;
  /** The secret's annotations (getSecret / updateSecret with the secret's etag). */
  readonly annotations: Record<string, string>;
}

export interface PublishedMessage {
  readonly attributes: Record<string, string>;
  readonly messageId: string;
}

export interface SecretManagerFake {
  readonly port: number;
  /** Secrets by resource name as a test configures them, `projects/<id>/secrets/<name>`. */
  readonly secrets: Map<string, FakeSecret>;
  /** Requested version resource names, as requested, e.g. `projects/p/secrets/s/versions/latest`. */
  readonly requests: string[];
  /** SECRET_VERSION_ADD messages, one per added version. */
  readonly published: PublishedMessage[];
  /** `'up'`, `'down'` (500 on every read) or `'hang'` (reads never answer). */
  mode: 'up' | 'down' | 'hang';
  /** Makes the next addVersion fail with 503 (the store is briefly down). */
  failNextAdd: boolean;
  /** updateSecret calls refused because their etag was stale. */
  etagConflicts: number;
  /** Whether a request's `authorization` header may call the store (401 otherwise). Default: `Bearer t`. */
  authorized: (authorization: string | undefined) => boolean;
  /** Requests received and not answered yet. */
  pending(): number;
  close(): Promise<void>;
}

/** The project number the fake gives every project (Secret Manager names projects by number in what it returns and publishes). */
export const FAKE_PROJECT_NUMBER = '123456789012';

/** `projects/<id>/secrets/<name>` → `projects/<number>/secrets/<name>`. */
export function numberForm(secretName: string): string {
  return secretName.replace(/^projects\/[^/]+\//, `projects/${FAKE_PROJECT_NUMBER}/`);
}

export function fakeSecret(...versions: string[]): FakeSecret {
  return { versions, aliases: {}, disabled: new Set(), annotations: {} };
}

export async function startSecretManagerFake(): Promise<SecretManagerFake> {
  const secrets = new Map<string, FakeSecret>();
  /** Metadata generation per secret: the etag. */
  const generations = new WeakMap<FakeSecret, number>();
  const etag = (secret: FakeSecret) => `"${generations.get(secret) ?? 1}"`;
  let messages = 0;
  const server = await startFakeServer(answer);

  const fake: SecretManagerFake = {
    port: server.port,
    secrets,
    requests: [],
    published: [],
    mode: 'up',
    failNextAdd: false,
    etagConflicts: 0,
    authorized: (authorization) => authorization === 'Bearer t',
    pending: server.pending,
    close: server.close,
  };

  /** A request may name the project by ID or by number. */
  function lookup(name: string): FakeSecret | undefined {
    const exact = secrets.get(name);
    if (exact) return exact;
    for (const [configured, secret] of secrets) if (numberForm(configured) === name) return secret;
    return undefined;
  }

  function json(response: ServerResponse, status: number, body: unknown): void {
    response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
    response.end(JSON.stringify(body));
  }
  function error(response: ServerResponse, status: number, code: string, message: string): void {
    json(response, status, { error: { code: status, message, status: code } });
  }

  function answer(request: IncomingMessage, body: string, response: ServerResponse): void {
    const path = decodeURIComponent((request.url ?? '').split('?')[0] ?? '');
    if (!fake.authorized(request.headers.authorization)) return error(response, 401, 'UNAUTHENTICATED', 'no token');
    const access = /^\/v1\/(projects\/[^/]+\/secrets\/[^/]+)\/versions\/([^/:]+):access$/.exec(path);
    if (access) return accessVersion(request, access[1] ?? '', access[2] ?? '', response);
    const secretPath = /^\/v1\/(projects\/[^/]+\/secrets\/[^/:]+)$/.exec(path);
    const metadataOf = secretPath ? lookup(secretPath[1] ?? '') : undefined;
    if (secretPath && metadataOf && (request.method === 'GET' || request.method === 'PATCH'))
      return metadata(request, secretPath[1] ?? '', metadataOf, body, response);
    const add = /^\/v1\/(projects\/[^/]+\/secrets\/[^/:]+):addVersion$/.exec(path);
    const addTo = add ? lookup(add[1] ?? '') : undefined;
    if (request.method === 'POST' && add && addTo) return addVersion(add[1] ?? '', addTo, body, response);
    return error(response, 404, 'NOT_FOUND', `no route ${request.method} ${path}`);
  }

  function accessVersion(request: IncomingMessage, secretName: string, selector: string, response: ServerResponse): void {
    fake.requests.push(`${secretName}/versions/${selector}`);
    if (fake.mode === 'hang') return undefined;
    if (fake.mode === 'down') return error(response, 500, 'INTERNAL', 'the fake store is down');
    const byNumber = numberForm(secretName);
    const secret = request.method === 'GET' ? lookup(secretName) : undefined;
    const number = selector === 'latest' ? secret?.versions.length : /^\d+$/.test(selector) ? Number(selector) : secret?.aliases[selector];
    const payload = number !== undefined ? secret?.versions[number - 1] : undefined;
    if (!secret || number === undefined || payload === undefined)
      return error(response, 404, 'NOT_FOUND', `Secret Version [${byNumber}/versions/${selector}] not found.`);
    if (secret.disabled.has(number))
      return error(response, 400, 'FAILED_PRECONDITION', `Secret Version [${byNumber}/versions/${number}] is in DISABLED state.`);
    return json(response, 200, { name: `${byNumber}/versions/${number}`, payload: { data: Buffer.from(payload).toString('base64') } });
  }

  function metadata(request: IncomingMessage, secretName: string, secret: FakeSecret, body: string, response: ServerResponse): void {
    const current = () => ({
      name: numberForm(secretName),
      replication: { automatic: {} },
      createTime: '2026-01-01T00:00:00Z',
      etag: etag(secret),
      annotations: { ...secret.annotations },
    });
    if (request.method === 'GET') return json(response, 200, current());
    // As Secret Manager: an update carrying an etag succeeds only if it is the current one.
    const input = JSON.parse(body) as { etag?: string; annotations?: Record<string, string> };
    const mask = new URLSearchParams((request.url ?? '').split('?')[1] ?? '').get('updateMask') ?? '';
    if (input.etag && input.etag !== etag(secret)) {
      fake.etagConflicts++;
      return error(response, 409, 'ABORTED', 'The etag provided in the request does not match the current etag of the secret.');
    }
    if (mask.split(',').includes('annotations')) {
      for (const key of Object.keys(secret.annotations)) delete secret.annotations[key];
      Object.assign(secret.annotations, input.annotations ?? {});
    }
    generations.set(secret, (generations.get(secret) ?? 1) + 1);
    return json(response, 200, current());
  }

  function addVersion(secretName: string, secret: FakeSecret, body: string, response: ServerResponse): void {
    if (fake.failNextAdd) {
      fake.failNextAdd = false;
      return error(response, 503, 'UNAVAILABLE', 'the fake store is briefly down');
    }
    const data = (JSON.parse(body) as { payload?: { data?: string } }).payload?.data;
    if (typeof data !== 'string') return error(response, 400, 'INVALID_ARGUMENT', 'payload.data is required');
    secret.versions.push(Buffer.from(data, 'base64').toString('utf8'));
    const byNumber = numberForm(secretName);
    const name = `${byNumber}/versions/${secret.versions.length}`;
    fake.published.push({
      attributes: { eventType: 'SECRET_VERSION_ADD', dataFormat: 'JSON_API_V1', secretId: byNumber, versionId: name },
      messageId: String(++messages),
    });
    return json(response, 200, { name, state: 1, createTime: new Date().toISOString() });
  }

  return fake;
}

export interface GcpSecretManagerFake {
  readonly port: number;
  /** Payloads of the one secret; version n is `versions[n - 1]`. */
  readonly versions: string[];
  readonly published: PublishedMessage[];
  /** Makes the next addVersion fail with 503 (the store is briefly down). */
  failNextAdd: boolean;
  /** The secret's annotations (getSecret / updateSecret with the secret's etag). */
  readonly annotations: Record<string, string>;
  /** updateSecret calls refused because their etag was stale. */
  etagConflicts: number;
  latest(): string | undefined;
  close(): Promise<void>;
}

/** The store holding one secret, `secretName` (`projects/<id>/secrets/<name>`), with one version: what a rotation starts from. */
export async function startGcpSecretManagerFake(secretName: string, initial: string): Promise<GcpSecretManagerFake> {
  const store = await startSecretManagerFake();
  const secret = fakeSecret(initial);
  store.secrets.set(secretName, secret);
  return {
    port: store.port,
    versions: secret.versions,
    published: store.published,
    get failNextAdd() {
      return store.failNextAdd;
    },
    set failNextAdd(value: boolean) {
      store.failNextAdd = value;
    },
    annotations: secret.annotations,
    get etagConflicts() {
      return store.etagConflicts;
    },
    set etagConflicts(value: number) {
      store.etagConflicts = value;
    },
    latest: () => secret.versions[secret.versions.length - 1],
    close: () => store.close(),
  };
}

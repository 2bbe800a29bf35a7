/**
 * A local Secret Manager for rotation tests, speaking the REST API the real client uses in fallback
 * mode: `GET …/versions/{n|latest}:access` and `POST projects/P/secrets/S:addVersion`. Each added
 * version would publish SECRET_VERSION_ADD on the secret's topics: `published` records those
 * messages, so a test can feed them back to the rotation function. As Secret Manager does, it names
 * the project by NUMBER in every name it returns and publishes, and accepts either form in requests.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface PublishedMessage {
  readonly attributes: Record<string, string>;
  readonly messageId: string;
}

export interface GcpSecretManagerFake {
  readonly port: number;
  /** Payloads of one secret; version n is `versions[n - 1]`. */
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

/** The project number the fake assigns to the project of `secretName` (Secret Manager names projects by number in what it returns and publishes). */
export const FAKE_PROJECT_NUMBER = '123456789012';

/** `projects/<id>/secrets/<name>` → `projects/<number>/secrets/<name>`. */
export function numberForm(secretName: string): string {
  return secretName.replace(/^projects\/[^/]+\//, `projects/${FAKE_PROJECT_NUMBER}/`);
}

export async function startGcpSecretManagerFake(secretName: string, initial: string): Promise<GcpSecretManagerFake> {
  let messages = 0;
  let metadataGeneration = 1;
  const etag = () => `"${metadataGeneration}"`;
  const byNumber = numberForm(secretName);
  // A request may name the project by ID or by number; answers always name it by number.
  const sameSecret = (name: string | undefined) => name === secretName || name === byNumber;
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => answer(request, Buffer.concat(chunks).toString('utf8'), response));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  const fake: GcpSecretManagerFake = {
    port: (server.address() as AddressInfo).port,
    versions: [initial],
    published: [],
    failNextAdd: false,
    annotations: {},
    etagConflicts: 0,
    latest: () => fake.versions[fake.versions.length - 1],
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
  function error(response: ServerResponse, status: number, code: string, message: string): void {
    json(response, status, { error: { code: status, message, status: code } });
  }

  function answer(request: IncomingMessage, body: string, response: ServerResponse): void {
    if (request.headers.authorization !== 'Bearer t') return error(response, 401, 'UNAUTHENTICATED', 'no token');
    const path = decodeURIComponent((request.url ?? '').split('?')[0] ?? '');
    const access = /^\/v1\/(projects\/[^/]+\/secrets\/[^/]+)\/versions\/([^/:]+):access$/.exec(path);
    if (request.method === 'GET' && access && sameSecret(access[1])) {
      const selector = access[2] ?? '';
      const number = selector === 'latest' ? fake.versions.length : Number(selector);
      const payload = fake.versions[number - 1];
      if (payload === undefined) return error(response, 404, 'NOT_FOUND', `Secret Version [${byNumber}/versions/${selector}] not found.`);
      return json(response, 200, { name: `${byNumber}/versions/${number}`, payload: { data: Buffer.from(payload).toString('base64') } });
    }
    const secretPath = /^\/v1\/(projects\/[^/]+\/secrets\/[^/:]+)$/.exec(path);
    if (secretPath && sameSecret(secretPath[1])) {
      const metadata = () => ({ name: byNumber, replication: { automatic: {} }, createTime: '2026-01-01T00:00:00Z', etag: etag(), annotations: { ...fake.annotations } });
      if (request.method === 'GET') return json(response, 200, metadata());
      if (request.method === 'PATCH') {
        // As Secret Manager: an update carrying an etag succeeds only if it is the current one.
        const input = JSON.parse(body) as { etag?: string; annotations?: Record<string, string> };
        const mask = new URLSearchParams((request.url ?? '').split('?')[1] ?? '').get('updateMask') ?? '';
        if (input.etag && input.etag !== etag()) {
          fake.etagConflicts++;
          return error(response, 409, 'ABORTED', 'The etag provided in the request does not match the current etag of the secret.');
        }
        if (mask.split(',').includes('annotations')) {
          for (const key of Object.keys(fake.annotations)) delete fake.annotations[key];
          Object.assign(fake.annotations, input.annotations ?? {});
        }
        metadataGeneration++;
        return json(response, 200, metadata());
      }
    }
    const add = /^\/v1\/(projects\/[^/]+\/secrets\/[^/:]+):addVersion$/.exec(path);
    if (request.method === 'POST' && add && sameSecret(add[1])) {
      if (fake.failNextAdd) {
        fake.failNextAdd = false;
        return error(response, 503, 'UNAVAILABLE', 'the fake store is briefly down');
      }
      const data = (JSON.parse(body) as { payload?: { data?: string } }).payload?.data;
      if (typeof data !== 'string') return error(response, 400, 'INVALID_ARGUMENT', 'payload.data is required');
      fake.versions.push(Buffer.from(data, 'base64').toString('utf8'));
      const name = `${byNumber}/versions/${fake.versions.length}`;
      fake.published.push({ attributes: { eventType: 'SECRET_VERSION_ADD', dataFormat: 'JSON_API_V1', secretId: byNumber, versionId: name }, messageId: String(++messages) });
      return json(response, 200, { name, state: 1, createTime: new Date().toISOString() });
    }
    return error(response, 404, 'NOT_FOUND', `no route ${request.method} ${path}`);
  }

  return fake;
}

/** One HTTP exchange over node:http with a server on 127.0.0.1: the request target goes out byte for byte (fetch would re-encode a quote). */
import { request as httpRequest, type IncomingHttpHeaders, type RequestOptions } from 'node:http';

export interface RawResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  /** The whole body, decoded as UTF-8. */
  readonly body: string;
}

/** Sends `body` to 127.0.0.1:`port` with `options` (method, path, headers, setHost…) and reads the whole answer. */
export function rawHttp(port: number, options: RequestOptions, body: string | Uint8Array = ''): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest({ host: '127.0.0.1', port, ...options }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }),
      );
      response.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

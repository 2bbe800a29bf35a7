// Declarations for packages the scripts import that ship no types of their own: only what the scripts use.

/** autocannon 9 (HTTP load generator; the load bench). */
declare module 'autocannon' {
  interface Options {
    url: string;
    method?: string;
    headers?: Record<string, string>;
    body?: string;
    duration?: number;
    connections?: number;
  }
  interface Result {
    '2xx': number;
    non2xx: number;
    errors: number;
    timeouts: number;
    latency: { p99: number };
  }
  function autocannon(options: Options): Promise<Result>;
  export = autocannon;
}

/** yazl 3 (zip writer; scripts/package-infra.mjs). */
declare module 'yazl' {
  import type { Readable } from 'node:stream';

  export class ZipFile {
    readonly outputStream: Readable;
    addBuffer(buffer: Buffer, metadataPath: string, options?: { mtime?: Date; mode?: number; compress?: boolean }): void;
    end(): void;
  }
}

/** Loopback helpers: the path of `bind-loopback.cjs`, and a free port on 127.0.0.1. */
import { createServer } from 'node:net';
import { join } from 'node:path';

/** The path of `bind-loopback.cjs`, for `node -r <path>` in front of a runtime that listens on every interface. */
export const BIND_LOOPBACK_PRELOAD = join(__dirname, 'bind-loopback.cjs');

/** A port free on 127.0.0.1 right now, for a child process that must be told its port. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

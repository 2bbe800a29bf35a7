/** The path of `bind-loopback.cjs`, for `node -r <path>` in front of a runtime that listens on every interface. */
import { join } from 'node:path';

export const BIND_LOOPBACK_PRELOAD = join(__dirname, 'bind-loopback.cjs');

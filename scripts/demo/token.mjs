/**
 * The auth token the demo's runtimes check signatures with. TWILIO_AUTH_TOKEN from the environment
 * wins; otherwise the one in the repository's `.env` (gitignored); otherwise the embedded demo token,
 * written to `.env` so `twiml-guard send` can use the same one later.
 */
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Not a secret: it only ever protects functions running on this machine's loopback interface. */
export const DEMO_AUTH_TOKEN = 'de30de30de30de30de30de30de30de30';

const TOKEN_LINE = /^\s*(?:export\s+)?TWILIO_AUTH_TOKEN\s*=\s*(.*?)\s*$/m;

/** @param {string} path */
export function readDotEnvToken(path) {
  if (!existsSync(path)) return undefined;
  const match = TOKEN_LINE.exec(readFileSync(path, 'utf8'));
  const value = match?.[1]?.replace(/^(['"])(.*)\1$/, '$2');
  return value ? value : undefined;
}

/**
 * @param {string} root
 * @returns {{ token: string, source: 'environment' | '.env' | 'new .env' | 'embedded' }}
 */
export function resolveDemoToken(root, env = process.env) {
  if (env.TWILIO_AUTH_TOKEN) return { token: env.TWILIO_AUTH_TOKEN, source: 'environment' };
  const path = join(root, '.env');
  const existing = readDotEnvToken(path);
  if (existing) return { token: existing, source: '.env' };
  try {
    const before = existsSync(path) ? readFileSync(path, 'utf8') : '';
    const separator = before === '' || before.endsWith('\n') ? '' : '\n';
    writeFileSync(
      path,
      `${before}${separator}# Written by \`npm start\` (the local demo): a demo token, not a real one. Put your own here or export TWILIO_AUTH_TOKEN.\nTWILIO_AUTH_TOKEN=${DEMO_AUTH_TOKEN}\n`,
    );
    chmodSync(path, 0o600);
    return { token: DEMO_AUTH_TOKEN, source: 'new .env' };
  } catch {
    // A read-only checkout: the demo still runs, with the embedded token.
    return { token: DEMO_AUTH_TOKEN, source: 'embedded' };
  }
}

/**
 * Without Google credentials, the real SecretManagerServiceClient fails every call and also rejects a
 * promise nobody holds; in a default Node process that unhandled rejection ends the function instance.
 * A child `node` runs the BUILT package (`npm test` builds first) and must stay up: 503 per request,
 * a rotation that rejects (Pub/Sub redelivers), and no unhandled rejection.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '../../..');
const script = join(__dirname, 'no-credentials/run-without-credentials.cjs');

test('missing credentials: 503 on every request, the rotation rejects, the process does not crash', () => {
  if (!existsSync(join(root, 'packages/gcp-functions/dist/index.cjs')))
    execFileSync(process.execPath, [join(root, 'scripts/build.mjs')], { cwd: root, stdio: 'ignore' });
  const child = spawnSync(process.execPath, [script], {
    cwd: root,
    encoding: 'utf8',
    timeout: 30_000,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      GOOGLE_APPLICATION_CREDENTIALS: join(__dirname, 'no-credentials/missing-key.json'),
      TWILIO_AUTH_TOKEN_SECRET: 'projects/p/secrets/twilio-auth-token',
    },
  });
  expect(child.stderr).not.toMatch(/unhandled|ENOENT/i);
  expect(child.status).toBe(0);
  const result = JSON.parse(child.stdout) as { statuses: number[]; rotation: string; logged: string[] };
  expect(result.statuses).toEqual([503, 503]);
  expect(result.rotation).toMatch(/^rejected: .*missing-key\.json/);
  expect(result.logged.filter((line) => line.includes('secret-manager:projects/p/secrets/twilio-auth-token unavailable'))).toHaveLength(2);
});

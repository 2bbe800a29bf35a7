/**
 * The two builds of core side by side in one Node process, as a bundle that pulls in both can
 * have them: `node` resolves to node:crypto with the synchronous API, `--conditions=worker` to the
 * web build, and token errors made by either copy are recognised by the other's classes.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const CORE = join(__dirname, '..', '..', '..', 'packages', 'core');

const PROBE = `
import * as resolved from '@twiml-guard/core';
import * as web from ${JSON.stringify(join(CORE, 'dist', 'web.mjs'))};
import * as node from ${JSON.stringify(join(CORE, 'dist', 'index.mjs'))};
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const webCjs = require(${JSON.stringify(join(CORE, 'dist', 'web.cjs'))});
const token = '12345678901234567890123456789012';
const url = 'https://example.com/sms';
const signature = node.getExpectedTwilioSignature(token, url, { Body: 'hi' });
let syncOnResolved;
try { syncOnResolved = resolved.validateRequest(token, signature, url, { Body: 'hi' }); } catch (error) { syncOnResolved = error.message.includes('validateRequestAsync') ? 'throws naming validateRequestAsync' : error.message; }
console.log(JSON.stringify({
  resolved: resolved.cryptoRuntime, web: web.cryptoRuntime, webCjs: webCjs.cryptoRuntime, node: node.cryptoRuntime,
  syncOnResolved,
  webAsync: await web.validateRequestAsync(token, signature, url, { Body: 'hi' }),
  crossInstance: [
    new web.TokenNotConfiguredError('x') instanceof node.TokenNotConfiguredError,
    new node.TokenStoreUnavailableError('x') instanceof webCjs.TokenStoreUnavailableError,
    new webCjs.TokenNotConfiguredError('x') instanceof web.TokenNotConfiguredError,
    new web.TokenNotConfiguredError('x') instanceof node.TokenStoreUnavailableError,
  ],
}));
`;

async function probe(conditions: string[]): Promise<unknown> {
  // Inside the package, so '@twiml-guard/core' resolves through its own exports (self-reference).
  const dir = mkdtempSync(join(CORE, '.probe-'));
  const file = join(dir, 'probe.mjs');
  writeFileSync(file, PROBE);
  try {
    const { stdout } = await run(process.execPath, [...conditions, file], { cwd: CORE });
    return JSON.parse(stdout);
  } finally {
    await run('rm', ['-rf', dir]);
  }
}

const crossInstance = [true, true, true, false];

test('default Node: the node build, synchronous validateRequest; the web copy beside it agrees', async () => {
  expect(await probe([])).toEqual({
    resolved: 'node',
    web: 'web',
    webCjs: 'web',
    node: 'node',
    syncOnResolved: true,
    webAsync: true,
    crossInstance,
  });
});

test('--conditions=worker: the web build, whose validateRequest names its async twin', async () => {
  expect(await probe(['--conditions=worker'])).toEqual({
    resolved: 'web',
    web: 'web',
    webCjs: 'web',
    node: 'node',
    syncOnResolved: 'throws naming validateRequestAsync',
    webAsync: true,
    crossInstance,
  });
});

#!/usr/bin/env node
/**
 * `npm start`: templates/sms-auto-reply on four local runtimes at once (serverless offline for API
 * Gateway, a local Azure Functions host, the Functions Framework, twilio-run), then a signed SMS
 * webhook, a forged one and a Studio JSON one to each, through the Twilio webhook simulator. Prints
 * what came back, stops everything it started, and exits 0 only if every answer is the expected one.
 *
 *   npm start                 run, check, stop
 *   npm start -- --keep       leave the runtimes running and print `twiml-guard send` commands
 */
import { existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const TEMPLATE = 'templates/sms-auto-reply';
const READY_TIMEOUT_MS = 45_000;
const PROGRESS_EVERY_MS = 4_000;
const LOG_SETTLE_MS = 500;
/** Signs the demo's "signed" requests with another token than the runtimes use: shows what a wrong token looks like. */
const SENDER_TOKEN_ENV = 'TWIML_GUARD_DEMO_SENDER_TOKEN';

const HELP = `Usage: npm start [-- --keep]

Runs ${TEMPLATE} locally on AWS (serverless offline), Azure (a local Functions
host), GCP (the Functions Framework) and Twilio (twilio-run) at once, sends each a signed SMS
webhook, a forged one and a Studio JSON webhook, prints what came back, stops them, and exits 0
only if every answer is the expected one.

Options:
  --keep        leave the runtimes running (Ctrl-C stops them) and print twiml-guard send commands
  -h, --help    this help

Token: TWILIO_AUTH_TOKEN from the environment, else the one in .env, else a demo token
written to .env (gitignored).
${SENDER_TOKEN_ENV}: sign the demo's requests with this token instead, to see
what a wrong token gets.`;

let options;
try {
  options = parseArgs({
    options: { keep: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } },
  }).values;
} catch (error) {
  console.error(`${error instanceof Error ? error.message : String(error)}\n\n${HELP}`);
  process.exit(2);
}
if (options.help) {
  console.log(HELP);
  process.exit(0);
}
if (!existsSync(join(root, 'packages/testing/dist/index.mjs'))) {
  console.error('The packages are not built: run `npm start` (it builds first) or `npm run build`.');
  process.exit(1);
}

// Imported after the build check: these resolve @twiml-guard/* to the built packages.
const { platforms, bundleScript } = await import('./demo/platforms.mjs');
const { startProcess, stopAll, killAllNow, runToCompletion } = await import('./demo/processes.mjs');
const { REQUESTS, sendAndJudge, notStartedRow } = await import('./demo/requests.mjs');
const { formatTable } = await import('./demo/table.mjs');
const { freePort } = await import('./demo/ports.mjs');
const { resolveDemoToken } = await import('./demo/token.mjs');
const { createWorkspace } = await import('./demo/workspace.mjs');

const startedAt = Date.now();
const seconds = (since = startedAt) => `${((Date.now() - since) / 1000).toFixed(1)} s`;
const say = (/** @type {string} */ text) => process.stdout.write(`${text}\n`);

// Runtimes get a small environment: no npm_* noise, no secrets but the token they need.
const runtimeEnv = Object.fromEntries(
  ['PATH', 'HOME', 'TMPDIR', 'LANG', 'SystemRoot']
    .filter((name) => process.env[name] !== undefined)
    .map((name) => [name, process.env[name]]),
);
const buildEnv = Object.fromEntries(
  Object.entries(process.env).filter(([name]) => !name.startsWith('npm_') && !name.startsWith('TWILIO_') && name !== SENDER_TOKEN_ENV),
);

const { token, source: tokenSource } = resolveDemoToken(root);
const senderToken = process.env[SENDER_TOKEN_ENV] || token;
const workspace = createWorkspace(root, join(root, TEMPLATE));

/** @typedef {import('./demo/platforms.mjs').Platform} Platform */
/** @typedef {import('./demo/processes.mjs').RuntimeHandle} RuntimeHandle */

/**
 * platform id → { platform, url, handle } for the runtimes that became ready.
 * @type {Map<string, { platform: Platform, url: string, handle: RuntimeHandle }>}
 */
const ready = new Map();
let cleanedUp = false;
/** --keep mode reached: the runtimes stay up until a signal. */
let keeping = false;
let allAsExpected = false;
/** Set once stopping starts: runtimes then exit on purpose, which is no news to print. */
let stopping = false;
async function cleanUp() {
  if (cleanedUp) return;
  cleanedUp = true;
  stopping = true;
  await stopAll();
  workspace.remove();
}
/** @param {NodeJS.Signals} signal */
function onSignal(signal) {
  stopping = true;
  say(`\n${signal}: stopping the runtimes…`);
  // After --keep, Ctrl-C is how the demo ends: the exit code is then the checks' verdict.
  const code = keeping ? (allAsExpected ? 0 : 1) : 128 + (signal === 'SIGINT' ? 2 : signal === 'SIGHUP' ? 1 : 15);
  cleanUp().finally(() => process.exit(code));
}
for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM', 'SIGHUP'])) process.once(signal, onSignal);
process.on('exit', () => {
  killAllNow();
  if (!cleanedUp) workspace.remove();
});
process.on('uncaughtException', (error) => {
  console.error(error);
  cleanUp().finally(() => process.exit(1));
});

const tokenWhere = {
  environment: 'TWILIO_AUTH_TOKEN from the environment',
  '.env': 'TWILIO_AUTH_TOKEN from .env',
  'new .env': 'a demo token, written to .env',
  embedded: 'the embedded demo token (.env could not be written)',
}[tokenSource];
say(`twiml-guard demo: ${TEMPLATE} on four local runtimes`);
say(`auth token: ${tokenWhere}${process.env[SENDER_TOKEN_ENV] ? `; requests signed with ${SENDER_TOKEN_ENV} instead` : ''}`);
say('starting (in parallel):');

const all = platforms(root);
/** @type {Map<string, Error & { handle?: RuntimeHandle }>} why a platform did not start (with its runtime, if it got that far) */
const failures = new Map();
const pending = new Set(all.map((platform) => platform.id));

/** @param {Platform} platform */
async function launch(platform) {
  const dir = join(workspace.template, platform.folder);
  say(`  ${platform.id.padEnd(7)}${platform.runtime}`);
  const script = bundleScript(dir);
  if (script) {
    try {
      await runToCompletion(npmCommand(), [...npmArgs(), 'run', script, '--silent'], { cwd: dir, env: buildEnv });
    } catch (error) {
      throw new Error(
        `its build step (npm run ${script} in ${TEMPLATE}/${platform.folder}) failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  const port = await freePort();
  const extraPort = platform.needsExtraPort ? await freePort() : 0;
  if (stopping) throw new Error('stopped before it started');
  const spec = platform.start({ dir, port, extraPort, token, env: runtimeEnv });
  const handle = startProcess({ name: platform.id, cwd: dir, isReady: platform.isReady, timeoutMs: READY_TIMEOUT_MS, ...spec });
  try {
    await handle.ready;
  } catch (error) {
    if (error instanceof Error) Object.assign(error, { handle });
    throw error;
  }
  const url = platform.url(port, handle.output);
  ready.set(platform.id, { platform, url, handle });
  say(`  ready  ${platform.id.padEnd(7)}${seconds().padStart(7)}  ${url}`);
}

/** npm as it ran us (npm start), else from PATH. */
function npmCommand() {
  return process.env.npm_execpath?.endsWith('.js') ? process.execPath : process.platform === 'win32' ? 'npm.cmd' : 'npm';
}
function npmArgs() {
  return process.env.npm_execpath?.endsWith('.js') ? [process.env.npm_execpath] : [];
}

const progress = setInterval(() => {
  if (pending.size > 0 && !stopping) say(`  …      still starting: ${[...pending].join(', ')} (${seconds()})`);
}, PROGRESS_EVERY_MS);
await Promise.all(
  all.map((platform) =>
    launch(platform)
      .catch((error) => {
        failures.set(platform.id, error);
        if (!stopping) say(`  FAILED ${platform.id.padEnd(7)}${seconds().padStart(7)}  ${error.message.split('\n')[0]}`);
      })
      .finally(() => pending.delete(platform.id)),
  ),
);
clearInterval(progress);
// Ctrl-C during startup: onSignal is stopping everything and will exit; nothing more to do here.
if (stopping) await new Promise(() => undefined);

say(
  `\nsending webhooks through the simulator (signed with ${senderToken === token ? "the runtimes' token" : `${SENDER_TOKEN_ENV}, not the runtimes' token`}):\n`,
);
const rowsByPlatform = await Promise.all(
  all.map(async (platform) => {
    const running = ready.get(platform.id);
    const rows = [];
    for (const request of REQUESTS)
      rows.push(running ? await sendAndJudge(platform, running.url, request, senderToken) : notStartedRow(platform, request));
    return rows;
  }),
);
const rows = rowsByPlatform.flat();
for (const row of rows) {
  if (row.platform === 'twilio' && row.request === 'Studio JSON' && row.ok)
    row.note = 'expected: no raw body in the Runtime; Protected visibility checks JSON';
}
say(formatTable(rows));

const failed = rows.filter((row) => !row.ok);
allAsExpected = failed.length === 0;
say('');
if (failed.length === 0) {
  say(`all ${rows.length} answers as expected (${seconds()})`);
} else {
  say(`${failed.length} of ${rows.length} answers NOT as expected (${seconds()})`);
  // A runtime logs why it refused around the time it answers: let those lines reach us before quoting them.
  await new Promise((resolve) => setTimeout(resolve, LOG_SETTLE_MS));
  for (const id of new Set(failed.map((row) => row.platform))) {
    const handle = ready.get(id)?.handle ?? failures.get(id)?.handle;
    const why = failures.get(id)?.message;
    const [firstLine, ...moreLines] = (why ?? '').split('\n');
    say(`\n--- ${id}: ${why ? `${firstLine}; ` : ''}${handle ? 'last lines of its output' : 'details'} ---`);
    const output = handle ? handle.output : moreLines.join('\n');
    say(output.trimEnd().split('\n').slice(-20).join('\n') || '(no output)');
  }
}

if (options.keep && ready.size > 0) {
  keeping = true;
  printSendCommands();
  for (const { platform, handle } of inPlatformOrder()) {
    let partial = '';
    handle.listeners.add((text) => {
      const lines = (partial + text).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) if (line.trim()) say(`[${platform.id}] ${line}`);
    });
    handle.child.once('exit', (code, signal) => {
      if (!stopping) say(`[${platform.id}] the runtime exited (${signal ?? `code ${code}`})`);
    });
  }
  // Runs until Ctrl-C (or SIGTERM): onSignal stops the runtimes.
} else {
  await cleanUp();
  process.exit(failed.length === 0 ? 0 : 1);
}

function inPlatformOrder() {
  return all.map((platform) => ready.get(platform.id)).filter((running) => running !== undefined);
}

function printSendCommands() {
  const cli = relative(process.cwd(), join(root, 'packages/testing/dist/cli.cjs')) || 'packages/testing/dist/cli.cjs';
  const envFile = relative(process.cwd(), join(root, '.env')) || '.env';
  say('\nstill running (Ctrl-C stops them). Send your own webhooks; the CLI reads the token from TWILIO_AUTH_TOKEN:');
  if (tokenSource === 'environment') say('  (uses TWILIO_AUTH_TOKEN from your environment: export it in this shell)');
  else if (tokenSource === 'embedded') say(`  export TWILIO_AUTH_TOKEN=${token}   # the embedded demo token, not a secret`);
  else say(`  set -a; . ${envFile}; set +a`);
  for (const { platform, url } of inPlatformOrder()) {
    say(`\n  # ${platform.id}`);
    say(`  node ${cli} send ${url} --preset sms --param Body='Hello there'`);
    say(`  node ${cli} send ${url} --preset sms --forge`);
    say(`  node ${cli} send ${url} --preset studio-json`);
  }
  say(`\nthe runtimes serve a copy of ${TEMPLATE} in ${workspace.template} (removed when they stop)`);
  say('\nruntime logs follow:');
}

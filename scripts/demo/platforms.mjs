/**
 * The four local runtimes, each serving its folder of the template the way that platform's own local
 * tool does: how to build it, how to start it, when it is ready, and the URL Twilio would call
 * (as the runtime lists it once started, else where the template puts it).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_ACCOUNT_SID } from '@twiml-guard/testing';

/** @typedef {{ dir: string, port: number, extraPort: number, token: string, env: NodeJS.ProcessEnv }} StartContext */

/**
 * @typedef {object} Platform
 * @property {string} id
 * @property {string} folder the template's folder for it
 * @property {string} runtime what serves it, with versions
 * @property {boolean} [needsExtraPort]
 * @property {(context: StartContext) => { command: string, args: string[], env: NodeJS.ProcessEnv }} start
 * @property {(output: string) => boolean} isReady
 * @property {(port: number, output: string) => string} url the URL Twilio would call
 * @property {number} expectsJson the status a Studio JSON webhook gets
 */

/**
 * @param {string} root
 * @param {string} packageName
 * @returns {string}
 */
function version(root, packageName) {
  try {
    return JSON.parse(readFileSync(join(root, 'node_modules', packageName, 'package.json'), 'utf8')).version;
  } catch {
    return '?';
  }
}

/**
 * @param {string} text
 * @param {RegExp} pattern
 */
function firstMatch(text, pattern) {
  return pattern.exec(text)?.[1];
}

/** The template's own bundle step (`bundle`, else `build`), if its package.json has one. */
/** @param {string} dir */
export function bundleScript(dir) {
  /** @type {Record<string, unknown>} */
  const scripts = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).scripts ?? {};
  return ['bundle', 'build'].find((name) => typeof scripts[name] === 'string');
}

/**
 * @param {string} root
 * @returns {Platform[]}
 */
export function platforms(root) {
  const loopback = join(root, 'packages/test-support/src/bind-loopback.cjs');
  return [
    {
      id: 'aws',
      folder: 'aws',
      runtime: `serverless offline --stage local (osls ${version(root, 'osls')}, serverless-offline ${version(root, 'serverless-offline')})`,
      needsExtraPort: true,
      /** @param {StartContext} c */
      start: (c) => ({
        command: process.execPath,
        // osls explicitly: node_modules/.bin/serverless may be serverless@4, which needs a licence.
        args: [
          join(root, 'node_modules/osls/bin/serverless.js'),
          'offline',
          'start',
          '--stage',
          'local',
          '--host',
          '127.0.0.1',
          '--httpPort',
          String(c.port),
          '--lambdaPort',
          String(c.extraPort),
        ],
        env: {
          ...c.env,
          TWILIO_AUTH_TOKEN: c.token,
          // The emulator serves plain http on loopback; the signed URL is that one.
          PUBLIC_BASE_URL: `http://127.0.0.1:${c.port}`,
          SLS_TELEMETRY_DISABLED: '1',
          SLS_NOTIFICATIONS_MODE: 'off',
          AWS_ACCESS_KEY_ID: 'local-demo',
          AWS_SECRET_ACCESS_KEY: 'local-demo',
          AWS_REGION: 'us-east-1',
        },
      }),
      isReady: (output) => output.includes('Server ready:'),
      // The first route serverless offline lists (the second is its Lambda invoke endpoint).
      url: (port, output) =>
        firstMatch(output, /POST \| (http:\/\/127\.0\.0\.1:\d+\/(?!2015-03-31\/)\S*)/) ?? `http://127.0.0.1:${port}/sms`,
      expectsJson: 200,
    },
    {
      id: 'azure',
      folder: 'azure',
      runtime: `local Functions host (scripts/demo/azure-host.mjs, @azure/functions ${version(root, '@azure/functions')})`,
      start: (c) => ({
        command: process.execPath,
        args: [join(root, 'scripts/demo/azure-host.mjs'), '--app', c.dir, '--port', String(c.port), '--host', '127.0.0.1'],
        env: { ...c.env, TWILIO_AUTH_TOKEN: c.token },
      }),
      isReady: (output) => output.includes('Host started'),
      url: (port, output) => firstMatch(output, /^\s+\S+: \[[A-Z,]*POST[A-Z,]*\] (http:\/\/\S+)$/m) ?? `http://127.0.0.1:${port}/api/sms`,
      expectsJson: 200,
    },
    {
      id: 'gcp',
      folder: 'gcp',
      runtime: `Functions Framework ${version(root, '@google-cloud/functions-framework')}`,
      // package.json main (the bundle) is what the Framework loads from the source directory.
      start: (c) => ({
        command: process.execPath,
        args: [
          '-r',
          loopback,
          join(root, 'node_modules/@google-cloud/functions-framework/build/src/main.js'),
          '--target=sms',
          `--source=${c.dir}`,
          `--port=${c.port}`,
        ],
        env: { ...c.env, TWILIO_AUTH_TOKEN: c.token },
      }),
      isReady: (output) => output.includes('Serving function...'),
      // Every path reaches the function; a gen2 function's URL is the service root.
      url: (port) => `http://127.0.0.1:${port}/`,
      expectsJson: 200,
    },
    {
      id: 'twilio',
      folder: 'twilio',
      runtime: `twilio-run ${version(root, 'twilio-run')} (@twilio/runtime-handler ${version(root, '@twilio/runtime-handler')})`,
      start: (c) => {
        // twilio-run hands .env to functions as context (AUTH_TOKEN is what a deployed service gets).
        writeFileSync(join(c.dir, '.env'), `ACCOUNT_SID=${DEFAULT_ACCOUNT_SID}\nAUTH_TOKEN=${c.token}\n`, { mode: 0o600 });
        return {
          command: process.execPath,
          args: ['-r', loopback, join(root, 'node_modules/twilio-run/bin/twilio-run.js'), 'start', '--port', String(c.port)],
          env: { ...c.env, NO_UPDATE_NOTIFIER: '1', CI: 'true', FORCE_COLOR: '0' },
        };
      },
      isReady: (output) => /^Functions\s*\nhttp:\/\/localhost:\d+\//m.test(output),
      // The local Runtime's DOMAIN_NAME is localhost:PORT: that is the URL it verifies against.
      url: (port, output) => firstMatch(output, /^Functions\s*\n(http:\/\/localhost:\d+\/\S*)/m) ?? `http://localhost:${port}/sms`,
      // The Runtime parses JSON bodies and keeps no raw bytes, so bodySHA256 cannot be checked in the
      // function: the adapter refuses with 415 (deployed, Protected visibility lets Twilio's gateway check it).
      expectsJson: 415,
    },
  ];
}

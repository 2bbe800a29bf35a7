#!/usr/bin/env node
/**
 * Rotates the Twilio auth token of webhooks running on Twilio Functions (docs/rotation.md, "Twilio
 * Functions"): creates a secondary token, publishes it as TWILIO_AUTH_TOKEN_PENDING in the Functions
 * environment, waits, promotes it, verifies, writes it as TWILIO_AUTH_TOKEN, and after the grace
 * period removes the old token. Safe to rerun after an interruption at any point: it resumes the same
 * rotation (Twilio's primary changes once). Concurrent runs wait for each other (a lock variable).
 *
 *   TWILIO_ACCOUNT_SID=AC… TWILIO_AUTH_TOKEN=… node scripts/rotate-twilio-functions.mjs \
 *     --service ZS… --environment ZE… [--wait-seconds 60] [--grace-seconds 300] [--no-wait-for-grace]
 *
 * Optional TWILIO_API_KEY / TWILIO_API_SECRET authenticate the Serverless API calls (recommended:
 * unaffected by the rotation). Needs `npm run build` first (it imports @twiml-guard/twilio-functions).
 */
import { parseArgs } from 'node:util';

const usage = `usage: node scripts/rotate-twilio-functions.mjs --service ZS… --environment ZE… [--wait-seconds 60] [--grace-seconds 300] [--lease-seconds 60] [--no-wait-for-grace] [--suppress-email]
environment: TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN (the current token), optional TWILIO_API_KEY + TWILIO_API_SECRET`;

/**
 * @param {string} message
 * @returns {never}
 */
function fail(message) {
  process.stderr.write(`${message}\n${usage}\n`);
  process.exit(2);
}

function parseOptions() {
  try {
    return parseArgs({
      options: {
        service: { type: 'string' },
        environment: { type: 'string' },
        'wait-seconds': { type: 'string', default: '60' },
        'grace-seconds': { type: 'string', default: '300' },
        'lease-seconds': { type: 'string', default: '60' },
        'no-wait-for-grace': { type: 'boolean', default: false },
        'suppress-email': { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    }).values;
  } catch (error) {
    return fail(error instanceof Error ? error.message : String(error));
  }
}
const values = parseOptions();
if (values.help) {
  process.stdout.write(`${usage}\n`);
  process.exit(0);
}

const accountSid = process.env.TWILIO_ACCOUNT_SID ?? '';
const authToken = process.env.TWILIO_AUTH_TOKEN ?? '';
/** @param {'wait-seconds' | 'grace-seconds' | 'lease-seconds'} name */
const seconds = (name) => {
  const value = Number(values[name]);
  if (!Number.isFinite(value) || value < 0) fail(`--${name} must be a number of seconds`);
  return value;
};
if (!/^AC[0-9a-fA-F]{32}$/.test(accountSid)) fail('TWILIO_ACCOUNT_SID must be set (AC + 32 hex characters)');
if (!authToken) fail('TWILIO_AUTH_TOKEN must be set to the current auth token');
const serviceSid = values.service ?? '';
const environmentSid = values.environment ?? '';
if (!/^ZS\w{32}$/.test(serviceSid)) fail('--service must be a Functions service SID (ZS…)');
if (!/^ZE\w{32}$/.test(environmentSid)) fail('--environment must be an environment SID (ZE…)');
const waitMs = seconds('wait-seconds') * 1000;
const graceMs = seconds('grace-seconds') * 1000;
const leaseMs = seconds('lease-seconds') * 1000;

const { rotateTwilioFunctionsToken } = await import('@twiml-guard/twilio-functions/rotation');
const apiKey =
  process.env.TWILIO_API_KEY && process.env.TWILIO_API_SECRET
    ? { sid: process.env.TWILIO_API_KEY, secret: process.env.TWILIO_API_SECRET }
    : undefined;
const log = (/** @type {unknown} */ entry) => process.stderr.write(`${JSON.stringify(entry)}\n`);

try {
  const outcome = await rotateTwilioFunctionsToken({
    accountSid,
    authToken,
    serviceSid,
    environmentSid,
    ...(apiKey ? { apiKey } : {}),
    cacheTtlMs: waitMs,
    settleMs: 0,
    previousGraceMs: graceMs,
    // A run killed mid-way keeps others (and its own rerun) waiting this long after its next planned step.
    leaseMs,
    suppressEmailNotification: values['suppress-email'],
    // Keeps the old token accepted for the grace period, then removes it from TWILIO_AUTH_TOKEN_PENDING.
    waitForGrace: !values['no-wait-for-grace'],
    logger: { info: log, warn: log, error: log },
  });
  process.stdout.write(
    `rotation ${outcome.status} for ${accountSid} (started at: ${outcome.startedAt}, waited ${Math.round(outcome.waitedMs / 1000)} s)\n`,
  );
  if (outcome.status === 'rotated') {
    process.stdout.write('The new auth token is in the TWILIO_AUTH_TOKEN variable of the environment; update any other copy you keep.\n');
  }
} catch (error) {
  process.stderr.write(
    `rotation failed: ${error instanceof Error ? error.message : error}\nRerun the same command to resume (after a promotion, with an API key; or with the new token unless TWILIO_AUTH_TOKEN_ROTATION says done, which would rotate again); see docs/rotation.md.\n`,
  );
  process.exit(1);
}

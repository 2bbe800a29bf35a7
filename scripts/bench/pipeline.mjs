// Per-request cost of the built core pipeline (createWebhookHandler, warm token cache) over a bare
// handler, next to the usual approach (URLSearchParams + twilio.validateRequest), for a valid signed
// 12-parameter SMS webhook whose body arrives as bytes (as every adapter passes it); then the same
// split into its two main steps, form parsing and the signature check, to show where the time goes.
// Run `npm run build` first (measures dist/, not src/).
import * as core from '@twiml-guard/core';
import { pathToFileURL } from 'node:url';
import twilio from 'twilio';
import { cpuMicrosPerCall, us } from './lib/stats.mjs';
import { AUTH_TOKEN, FORM_CONTENT_TYPE, SMS_FORM, SMS_PARAMS, signature, silentLogger } from './lib/webhook-fixture.mjs';

const URL = 'https://hooks.example.com/sms';
const TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response><Message>ok</Message></Response>';
const XML = { 'content-type': 'text/xml; charset=utf-8' };

function webhookRequest() {
  return {
    method: 'POST',
    url: URL,
    headers: {
      'content-type': FORM_CONTENT_TYPE,
      'x-twilio-signature': signature(URL),
      'i-twilio-idempotency-token': 'c77ed9e8-d13e-4e9a-b46c-a39c43956f06',
    },
    body: Buffer.from(SMS_FORM),
  };
}

/**
 * URLSearchParams into twilio's params shape: repeated keys become arrays.
 * @param {string} raw
 */
function searchParams(raw) {
  /** @type {Record<string, string | string[]>} */
  const params = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    const existing = params[key];
    params[key] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return params;
}

/**
 * @param {{ samples?: number, batch?: number }} [options]
 * @returns {Promise<import('./lib/table.mjs').Section>}
 */
export async function run({ samples = 60, batch = 200 } = {}) {
  const request = webhookRequest();
  const handler = async (/** @type {unknown} */ _event) => TWIML;

  // A bare handler: what the function would cost with no checks at all.
  const bare = async () => ({ status: 200, headers: XML, body: await handler(request) });
  // twiml-guard: the built pipeline, tokens from a store behind the (warm) cache.
  const tokens = core.cachedTokenSource({ description: 'bench', getTokens: async () => [AUTH_TOKEN] });
  const pipeline = core.createWebhookHandler(handler, { authToken: tokens, logger: silentLogger });
  const guarded = () => pipeline(request);
  // The usual approach: parse the form with URLSearchParams, then twilio.validateRequest.
  const usual = async () => {
    const params = searchParams(request.body.toString('utf8'));
    if (!twilio.validateRequest(AUTH_TOKEN, request.headers['x-twilio-signature'], request.url, params))
      return { status: 403, headers: {}, body: 'Forbidden' };
    return bare();
  };
  for (const [name, fn] of /** @type {Array<[string, () => Promise<{ status: number }>]>} */ ([
    ['pipeline', guarded],
    ['twilio way', usual],
  ])) {
    const response = await fn();
    if (response.status !== 200) throw new Error(`${name} refused the benchmark request (${response.status}): the bench is wrong`);
  }

  const options = { samples, batch };
  const [bareUs, guardedUs, usualUs] = [
    await cpuMicrosPerCall(bare, options),
    await cpuMicrosPerCall(guarded, options),
    await cpuMicrosPerCall(usual, options),
  ];
  const sig = request.headers['x-twilio-signature'];
  const parseOurs = await cpuMicrosPerCall(async () => core.parseFormBody(request.body), options);
  const parseTheirs = await cpuMicrosPerCall(async () => searchParams(request.body.toString('utf8')), options);
  const verifyOurs = await cpuMicrosPerCall(
    async () => core.verifySignature({ tokens: [AUTH_TOKEN], signature: sig, url: URL, params: SMS_PARAMS }),
    options,
  );
  const verifyTheirs = await cpuMicrosPerCall(async () => twilio.validateRequest(AUTH_TOKEN, sig, URL, SMS_PARAMS), options);

  return {
    title: 'Core pipeline vs twilio validateRequest (in process, built dist)',
    baselineLabel: 'twilio way',
    rows: [
      {
        metric: 'whole request: overhead over a bare handler',
        twimlGuard: `+${us(guardedUs - bareUs)}`,
        baseline: `+${us(usualUs - bareUs)}`,
        note: `bare handler ${us(bareUs)}`,
      },
      {
        metric: 'step: form body → params',
        twimlGuard: us(parseOurs),
        baseline: us(parseTheirs),
        note: 'core.parseFormBody(bytes) vs URLSearchParams(bytes.toString())',
      },
      {
        metric: 'step: signature check (valid)',
        twimlGuard: us(verifyOurs),
        baseline: us(verifyTheirs),
        note: 'core.verifySignature vs twilio.validateRequest',
      },
    ],
    notes: [
      `CPU µs per call (process user + system time, all threads, garbage collection included) over ${samples * batch} calls after a warm-up; valid signed 12-parameter SMS webhook, body as bytes; twiml-guard tokens from a warm CachedTokenSource.`,
      'The pipeline also resolves the public URL, checks content type and size, and builds the response; the twilio way does only the two steps shown.',
    ],
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { formatText } = await import('./lib/table.mjs');
  console.log(formatText(await run()));
}

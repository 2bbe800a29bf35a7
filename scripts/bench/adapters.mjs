// Per-request cost of each adapter's twilioWebhook over a bare handler for the same platform, in
// process, on the built dist: a valid signed 12-parameter SMS webhook, token given as a string.
// The bare handler is what the function would do without the guard: read the form, reply TwiML.
// Where there is one, the same template written the common way (scripts/bench/entries/*-twilio.mjs,
// bundled as in the cold-start section) runs on the same request too. Every side builds the platform's
// request object per call where the platform does (Azure, fetch).
import * as awsLambda from '@twiml-guard/aws-lambda';
import * as azure from '@twiml-guard/azure-functions';
import * as fetchAdapter from '@twiml-guard/fetch';
import * as gcp from '@twiml-guard/gcp-functions';
import * as twilioFunctions from '@twiml-guard/twilio-functions';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { bundle } from './cold-start.mjs';
import { azureContext, azureRequest, fetchRequest, gcpRequest, gcpResponse, httpApiEvent } from './lib/platform-requests.mjs';
import { cpuMicrosPerCall, median, us } from './lib/stats.mjs';
import { AUTH_TOKEN, SMS_PARAMS, signature, silentLogger } from './lib/webhook-fixture.mjs';

const XML = { 'content-type': 'text/xml; charset=utf-8' };
/** @param {unknown} body */
const reply = (body) =>
  `<?xml version="1.0" encoding="UTF-8"?><Response><Message>Thanks! We got your message: ${String(body ?? '').replace(/[<>&]/g, '')}</Message></Response>`;
/** @param {import('@twiml-guard/core').TwilioWebhookEvent} event */
const guardedHandler = (event) => reply(event.params.Body);
const options = { authToken: AUTH_TOKEN, logger: silentLogger };

/**
 * The sms-auto-reply template written the common way, bundled, per platform.
 * @typedef {object} CommonWay
 * @property {import('./lib/platform-requests.mjs').LambdaEntry} lambda
 * @property {import('./lib/platform-requests.mjs').AzureEntry} azure
 * @property {import('./lib/platform-requests.mjs').GcpEntry} gcp
 * @property {import('./lib/platform-requests.mjs').FetchEntry} fetch
 */

/**
 * One adapter's sides, and how to read the HTTP status from what they return (methods: each case's
 * `status` reads only what its own sides return).
 * @template Result
 * @typedef {{ name: string, bare(): Promise<Result>, guarded(): Promise<Result>, twilioWay?(): Promise<Result>, status(result: Result): number | undefined }} BenchCase
 */

/** @param {CommonWay} commonWay */
function lambdaCase(commonWay) {
  const event = httpApiEvent();
  /** @param {typeof event} incoming */
  const bare = async (incoming) => {
    const raw = incoming.isBase64Encoded ? Buffer.from(incoming.body, 'base64').toString('utf8') : incoming.body;
    return { statusCode: 200, headers: XML, body: reply(new URLSearchParams(raw).get('Body')) };
  };
  const guarded = awsLambda.twilioWebhook(guardedHandler, options);
  return {
    name: 'aws-lambda twilioWebhook (HTTP API 2.0 event)',
    bare: () => bare(event),
    guarded: () => guarded(event),
    twilioWay: () => commonWay.lambda.handler(event),
    status: (/** @type {{ statusCode?: number }} */ result) => result.statusCode,
  };
}

/** @param {CommonWay} commonWay */
function azureCase(commonWay) {
  const context = azureContext();
  const request = azureRequest;
  /**
   * @param {import('@azure/functions').HttpRequest} incoming
   * @param {import('@azure/functions').InvocationContext} _context
   */
  const bare = async (incoming, _context) => ({
    status: 200,
    headers: XML,
    body: reply(new URLSearchParams(await incoming.text()).get('Body')),
  });
  const guarded = azure.twilioWebhook(guardedHandler, options);
  return {
    name: 'azure-functions twilioWebhook (HttpRequest)',
    bare: () => bare(request(), context),
    guarded: () => guarded(request(), context),
    twilioWay: () => commonWay.azure.sms(request(), context),
    status: (/** @type {{ status?: number }} */ result) => result.status,
  };
}

/** @param {CommonWay} commonWay */
function gcpCase(commonWay) {
  const req = gcpRequest();
  const response = gcpResponse;
  /**
   * @param {typeof req} incoming
   * @param {import('./lib/platform-requests.mjs').GcpResponse} res
   */
  const bare = async (incoming, res) => {
    res.setHeader('content-type', XML['content-type']);
    res.end(reply(incoming.body.Body));
    return res;
  };
  const guarded = gcp.twilioWebhook(guardedHandler, options);
  return {
    name: 'gcp-functions twilioWebhook (Express-like req/res)',
    bare: () => bare(req, response()),
    guarded: async () => {
      const res = response();
      await guarded(req, res);
      return res;
    },
    twilioWay: async () => {
      const res = response();
      commonWay.gcp.sms(req, res);
      return res;
    },
    status: (/** @type {import('./lib/platform-requests.mjs').GcpResponse} */ res) => res.statusCode,
  };
}

function twilioFunctionsCase() {
  const context = { DOMAIN_NAME: 'sms-1234-dev.twil.io', PATH: '/sms', AUTH_TOKEN };
  const event = {
    request: {
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature('https://sms-1234-dev.twil.io/sms') },
      cookies: {},
    },
    ...SMS_PARAMS,
  };
  /**
   * @param {import('@twiml-guard/twilio-functions').RuntimeFunction} fn
   * @returns {Promise<{ error: unknown, result: unknown }>}
   */
  const invoke = (fn) => new Promise((resolve) => void fn(context, event, (error, result) => resolve({ error, result })));
  /** @type {import('@twiml-guard/twilio-functions').RuntimeFunction} */
  const bare = async (_context, incoming, callback) => callback(null, reply(incoming.Body));
  const guarded = twilioFunctions.twilioWebhook(guardedHandler, { logger: silentLogger });
  return {
    name: 'twilio-functions twilioWebhook (Runtime context/event)',
    bare: () => invoke(bare),
    guarded: () => invoke(guarded),
    // A Twilio.Response: `statusCode` in twilio-run, `_statusCode` in the Runtime.
    status: (/** @type {{ error: unknown, result: unknown }} */ { error, result }) => {
      if (error) return 500;
      if (typeof result === 'string') return 200;
      const response = /** @type {{ statusCode?: number, _statusCode?: number }} */ (result);
      return response.statusCode ?? response._statusCode ?? 200;
    },
  };
}

/** @param {CommonWay} commonWay */
function fetchCase(commonWay) {
  const request = fetchRequest;
  /** @param {Request} incoming */
  const bare = async (incoming) => new Response(reply(new URLSearchParams(await incoming.text()).get('Body')), { headers: XML });
  const guarded = fetchAdapter.twilioWebhook(guardedHandler, options);
  return {
    name: 'fetch twilioWebhook (Request → Response)',
    bare: () => bare(request()),
    guarded: () => guarded(request()),
    twilioWay: () => commonWay.fetch.default.fetch(request()),
    status: (/** @type {Response} */ response) => response.status,
  };
}

/** @type {Array<(commonWay: CommonWay) => BenchCase<unknown>>} */
export const CASES = [lambdaCase, azureCase, gcpCase, twilioFunctionsCase, fetchCase];

const entries = join(dirname(fileURLToPath(import.meta.url)), 'entries');

/** The sms-auto-reply template written the common way, per platform, bundled and loaded (the entries read TWILIO_AUTH_TOKEN). */
async function loadCommonWay() {
  /** @type {Record<string, unknown>} */
  const modules = {};
  for (const platform of ['lambda', 'azure', 'gcp', 'fetch']) {
    const { file } = await bundle(join(entries, `${platform}-twilio.mjs`), `${platform}-twilio-per-request`);
    modules[platform] = createRequire(import.meta.url)(file);
  }
  return /** @type {CommonWay} */ (modules);
}

/**
 * @param {{ samples?: number, batch?: number }} [options]
 * @returns {Promise<import('./lib/table.mjs').Section>}
 */
export async function run({ samples = 60, batch = 100 } = {}) {
  const savedToken = process.env.TWILIO_AUTH_TOKEN;
  process.env.TWILIO_AUTH_TOKEN = AUTH_TOKEN;
  try {
    const commonWay = await loadCommonWay();
    /** @type {import('./lib/table.mjs').Row[]} */
    const rows = [];
    for (const makeCase of CASES) {
      const bench = makeCase(commonWay);
      /** @type {Array<[side: string, call: () => Promise<unknown>]>} */
      const sides = [
        ['bare', bench.bare],
        ['guarded', bench.guarded],
        ...(bench.twilioWay ? [/** @type {[string, () => Promise<unknown>]} */ (['twilioWay', bench.twilioWay])] : []),
      ];
      for (const [side, call] of sides) {
        const status = bench.status(await call());
        if (status !== 200) throw new Error(`${bench.name}: the ${side} handler answered ${status} to a valid request: the bench is wrong`);
      }
      // Rounds alternate between the sides so that a busy moment on the machine hits them alike.
      const times = sides.map(() => /** @type {number[]} */ ([]));
      for (let round = 0; round < 3; round++) {
        for (const [i, [, call]] of sides.entries()) times[i]?.push(await cpuMicrosPerCall(call, { samples: samples / 3, batch }));
      }
      const [bareUs = NaN, guardedUs = NaN, twilioUs] = times.map((sideTimes) => median(sideTimes));
      const commonWayNote =
        twilioUs === undefined
          ? 'common way: none (Twilio Functions validate Protected functions in the platform)'
          : `common way (twilio): ${us(twilioUs)}, overhead ${us(twilioUs - bareUs)}`;
      rows.push({
        metric: bench.name,
        twimlGuard: us(guardedUs),
        baseline: us(bareUs),
        note: `overhead ${us(guardedUs - bareUs)}; ${commonWayNote}`,
      });
    }
    return {
      title: 'Per-request cost of each adapter over a bare handler (in process, built dist)',
      baselineLabel: 'bare handler',
      rows,
      notes: [
        `CPU µs per request (process user + system time, all threads, garbage collection included), median of 3 rounds of ${(samples / 3) * batch} requests, the sides alternating; valid signed 12-parameter SMS webhook, token as a string option, TwiML reply.`,
        'The bare handler reads the same form and returns the same TwiML, with no validation. The common way is the template written with twilio@6.2.0 (`scripts/bench/entries/*-twilio.mjs`, the cold-start baseline). Azure and fetch build a fresh HttpRequest/Request per call on every side.',
      ],
    };
  } finally {
    if (savedToken === undefined) delete process.env.TWILIO_AUTH_TOKEN;
    else process.env.TWILIO_AUTH_TOKEN = savedToken;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { formatText } = await import('./lib/table.mjs');
  console.log(formatText(await run()));
}

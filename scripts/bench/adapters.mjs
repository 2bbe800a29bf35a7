// Per-request cost of each adapter's twilioWebhook over a bare handler for the same platform, in
// process, on the built dist: a valid signed 12-parameter SMS webhook, token given as a string.
// The bare handler is what the function would do without the guard: read the form, reply TwiML.
// Both sides build the platform's request object per call where the platform does (Azure, fetch).
import azureFunctions from '@azure/functions';
import * as awsLambda from '@twiml-guard/aws-lambda';
import * as azure from '@twiml-guard/azure-functions';
import * as fetchAdapter from '@twiml-guard/fetch';
import * as gcp from '@twiml-guard/gcp-functions';
import * as twilioFunctions from '@twiml-guard/twilio-functions';
import { pathToFileURL } from 'node:url';
import { httpApiEvent } from './lib/lambda-event.mjs';
import { cpuMicrosPerCall, median, us } from './lib/stats.mjs';
import { AUTH_TOKEN, FORM_CONTENT_TYPE, SMS_FORM, SMS_PARAMS, signature, silentLogger } from './lib/webhook-fixture.mjs';

const { HttpRequest, InvocationContext } = azureFunctions;
const XML = { 'content-type': 'text/xml; charset=utf-8' };
const reply = (body) => `<?xml version="1.0" encoding="UTF-8"?><Response><Message>Thanks! We got your message: ${String(body ?? '').replace(/[<>&]/g, '')}</Message></Response>`;
const guardedHandler = (event) => reply(event.params.Body);
const options = { authToken: AUTH_TOKEN, logger: silentLogger };

function lambdaCase() {
  const event = httpApiEvent();
  const bare = async (incoming) => {
    const raw = incoming.isBase64Encoded ? Buffer.from(incoming.body, 'base64').toString('utf8') : incoming.body;
    return { statusCode: 200, headers: XML, body: reply(new URLSearchParams(raw).get('Body')) };
  };
  const guarded = awsLambda.twilioWebhook(guardedHandler, options);
  return { name: 'aws-lambda twilioWebhook (HTTP API 2.0 event)', bare: () => bare(event), guarded: () => guarded(event), status: (result) => result.statusCode };
}

function azureCase() {
  const url = 'https://sms-app.azurewebsites.net/api/sms';
  const headers = { 'content-type': FORM_CONTENT_TYPE, host: 'sms-app.azurewebsites.net', 'x-twilio-signature': signature(url) };
  const context = new InvocationContext({ functionName: 'sms', invocationId: 'bench', logHandler: () => undefined });
  const request = () => new HttpRequest({ method: 'POST', url, headers, body: { string: SMS_FORM } });
  const bare = async (incoming) => ({ status: 200, headers: XML, body: reply(new URLSearchParams(await incoming.text()).get('Body')) });
  const guarded = azure.twilioWebhook(guardedHandler, options);
  return { name: 'azure-functions twilioWebhook (HttpRequest)', bare: () => bare(request(), context), guarded: () => guarded(request(), context), status: (result) => result.status };
}

function gcpCase() {
  const host = 'sms-abc123def-uc.a.run.app';
  const headers = { 'content-type': FORM_CONTENT_TYPE, host, 'content-length': String(Buffer.byteLength(SMS_FORM)), 'x-twilio-signature': signature(`https://${host}/`) };
  const rawBody = Buffer.from(SMS_FORM);
  // What the Functions Framework hands the function: an Express request with body and rawBody already read.
  const req = { method: 'POST', url: '/', originalUrl: '/', headers, rawBody, body: { ...SMS_PARAMS } };
  const response = () => ({ statusCode: 200, headersSent: false, setHeader() {}, end() { this.headersSent = true; } });
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
    status: (res) => res.statusCode,
  };
}

function twilioFunctionsCase() {
  const context = { DOMAIN_NAME: 'sms-1234-dev.twil.io', PATH: '/sms', AUTH_TOKEN };
  const event = { request: { headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature('https://sms-1234-dev.twil.io/sms') }, cookies: {} }, ...SMS_PARAMS };
  const invoke = (fn) => new Promise((resolve) => void fn(context, event, (error, result) => resolve({ error, result })));
  const bare = async (_context, incoming, callback) => callback(null, reply(incoming.Body));
  const guarded = twilioFunctions.twilioWebhook(guardedHandler, { logger: silentLogger });
  return {
    name: 'twilio-functions twilioWebhook (Runtime context/event)',
    bare: () => invoke(bare),
    guarded: () => invoke(guarded),
    status: ({ error, result }) => (error ? 500 : typeof result === 'string' ? 200 : (result.statusCode ?? result._statusCode ?? 200)),
  };
}

function fetchCase() {
  const url = 'https://sms.example.workers.dev/sms';
  const headers = { 'content-type': FORM_CONTENT_TYPE, 'x-twilio-signature': signature(url) };
  const request = () => new Request(url, { method: 'POST', headers, body: SMS_FORM });
  const bare = async (incoming) => new Response(reply(new URLSearchParams(await incoming.text()).get('Body')), { headers: XML });
  const guarded = fetchAdapter.twilioWebhook(guardedHandler, options);
  return { name: 'fetch twilioWebhook (Request → Response)', bare: () => bare(request()), guarded: () => guarded(request()), status: (response) => response.status };
}

export const CASES = [lambdaCase, azureCase, gcpCase, twilioFunctionsCase, fetchCase];

export async function run({ samples = 60, batch = 100 } = {}) {
  const rows = [];
  for (const makeCase of CASES) {
    const bench = makeCase();
    for (const side of ['bare', 'guarded']) {
      const status = bench.status(await bench[side]());
      if (status !== 200) throw new Error(`${bench.name}: the ${side} handler answered ${status} to a valid request: the bench is wrong`);
    }
    // Alternate bare and guarded rounds so that a busy moment on the machine hits both alike.
    const bareTimes = [];
    const guardedTimes = [];
    for (let round = 0; round < 3; round++) {
      bareTimes.push(await cpuMicrosPerCall(bench.bare, { samples: samples / 3, batch }));
      guardedTimes.push(await cpuMicrosPerCall(bench.guarded, { samples: samples / 3, batch }));
    }
    const bareUs = median(bareTimes);
    const guardedUs = median(guardedTimes);
    rows.push({ metric: bench.name, twimlGuard: us(guardedUs), baseline: us(bareUs), note: `overhead ${us(guardedUs - bareUs)} per request` });
  }
  return {
    title: 'Per-request cost of each adapter over a bare handler (in process, built dist)',
    baselineLabel: 'bare handler',
    rows,
    notes: [
      `CPU µs per request (process user + system time, all threads, garbage collection included), median of 3 rounds of ${(samples / 3) * batch} requests alternating bare/guarded; valid signed 12-parameter SMS webhook, token as a string option, TwiML reply.`,
      'The bare handler reads the same form and returns the same TwiML, with no validation; Azure and fetch build a fresh HttpRequest/Request per call on both sides.',
    ],
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { formatText } = await import('./lib/table.mjs');
  console.log(formatText(await run()));
}

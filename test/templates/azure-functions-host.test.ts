/**
 * Every template's azure/ folder as the Functions host runs it: its own bundle script writes
 * dist/functions/<fn>.js (what `func azure functionapp publish` uploads), and each request becomes
 * an `@azure/functions` HttpRequest the way the host builds it (`{scheme}://{Host}/api/{route}`,
 * the body as bytes) handed to the exported handler with an InvocationContext.
 * The tests do not depend on Core Tools (a native binary download), so this is the host's side done by hand.
 */
import { HttpRequest, InvocationContext, type HttpResponseInit } from '@azure/functions';
import { join } from 'node:path';
import type { SignedTwilioRequest } from '@twiml-guard/testing';
import { ensurePackagesBuilt, runScript, TEMPLATES_DIR } from './support/bundle-scripts.js';
import { signFor } from './support/send-signed.js';
import { AUTH_TOKEN, FORGED_TOKEN, FORWARD_TO, rowsFor, TEMPLATE_CASES, type Answer } from './support/template-cases.js';

type AzureHandler = (request: HttpRequest, context: InvocationContext) => Promise<HttpResponseInit>;

const HOST = 'sms-demo.azurewebsites.net';
const handlers = new Map<string, AzureHandler>();
const savedEnv = { TWILIO_AUTH_TOKEN: process.env.TWILIO_AUTH_TOKEN, FORWARD_TO: process.env.FORWARD_TO };

beforeAll(() => {
  ensurePackagesBuilt();
  process.env.TWILIO_AUTH_TOKEN = AUTH_TOKEN;
  process.env.FORWARD_TO = FORWARD_TO;
  for (const { template, fn } of TEMPLATE_CASES) {
    const dir = join(TEMPLATES_DIR, template, 'azure');
    runScript(dir, 'bundle');
    // The bundle registers itself with app.http (a no-op outside the host) and exports the handler by name.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const module = require(join(dir, 'dist/functions', `${fn}.js`)) as Record<string, AzureHandler>;
    const handler = module[fn];
    if (typeof handler !== 'function') throw new Error(`${template}/azure/dist/functions/${fn}.js does not export ${fn}`);
    handlers.set(template, handler);
  }
});

afterAll(() => {
  for (const [name, value] of Object.entries(savedEnv)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

/** What the host hands the worker: the URL it formatted (https behind App Service's front end), headers incl. Host, the raw body. */
function hostRequest(signed: SignedTwilioRequest, dropHeaders: readonly string[] = []): HttpRequest {
  const headers = Object.fromEntries(Object.entries(signed.headers).filter(([name]) => !dropHeaders.includes(name.toLowerCase())));
  return new HttpRequest({
    method: signed.method,
    url: signed.url,
    headers: { ...headers, host: HOST },
    body: { bytes: new TextEncoder().encode(signed.body) },
  });
}

async function invoke(template: string, request: HttpRequest): Promise<Answer> {
  const context = new InvocationContext({ functionName: template, invocationId: 'template-test', logHandler: () => undefined });
  const response = await handlers.get(template)!(request, context);
  const headers = new Headers(response.headers as Record<string, string> | undefined);
  return {
    status: response.status ?? 200,
    contentType: headers.get('content-type'),
    body: typeof response.body === 'string' ? response.body : response.body === undefined ? '' : String(response.body),
  };
}

const base = (template: string): string => `https://${HOST}/api${TEMPLATE_CASES.find((c) => c.template === template)?.path}`;

describe.each(rowsFor('azure'))('%s on Azure Functions: %s', (template, _label, _case, request) => {
  it('answers the signed request', async () => {
    const answer = await invoke(template, hostRequest(signFor(base(template) + request.subPath, request.payload, AUTH_TOKEN)));
    request.expectAnswer(answer, base(template));
  });

  it('refuses it forged (403) and unsigned (400)', async () => {
    const url = base(template) + request.subPath;
    const forged = await invoke(template, hostRequest(signFor(url, request.payload, FORGED_TOKEN)));
    const unsigned = await invoke(template, hostRequest(signFor(url, request.payload, AUTH_TOKEN), ['x-twilio-signature']));
    expect([forged.status, unsigned.status]).toEqual([403, 400]);
    expect(forged.body).not.toMatch(/Response|reply/);
  });
});

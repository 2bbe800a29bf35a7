#!/usr/bin/env node
/**
 * A small local Azure Functions host for Node.js v4 apps, so the demo needs no Azure Functions Core
 * Tools (`func start`, a native binary download). It does what the real host + Node.js worker do
 * for HTTP triggers, in one process:
 *
 *  - loads the app like the worker: `@azure/functions-core` provided to the library, every file of
 *    package.json `main` (a glob) required, `app.http(...)` registrations collected;
 *  - routes `/{routePrefix}/{route}` (host.json `extensions.http.routePrefix`, default `api`; route
 *    default: the function name; case-insensitive; methods from the trigger);
 *  - builds the RpcHttp message as the host's `ToRpcHttp` does (azure-functions-host
 *    GrpcMessageConversionExtensions): url = `{scheme}://{Host}{Path}{QueryString}` as received,
 *    header names lower-cased, repeated values joined with ",", query and route params as nullable
 *    maps, and the body as raw bytes (the worker asks for RawHttpBodyBytes + RpcHttpBodyOnly);
 *  - hands it to the library's own InvocationModel (which makes the `HttpRequest` through undici's
 *    `Request`, exactly as in Azure), invokes, and writes the RpcHttp response back.
 *
 * Not modelled: function keys (authLevel other than anonymous is refused at startup), HTTP
 * streaming mode, hooks, non-HTTP triggers, the App Service front end (DISGUISED-HOST, TLS).
 *
 * Usage: node scripts/demo/azure-host.mjs --app <function app dir> [--port 7071] [--host 127.0.0.1]
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { basename, dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createCoreApi, installCoreModule, WORKER_CAPABILITIES } from './azure-core-api.mjs';

const { values: args } = parseArgs({
  options: { app: { type: 'string' }, port: { type: 'string', default: '7071' }, host: { type: 'string', default: '127.0.0.1' } },
});
if (!args.app) {
  console.error('usage: azure-host.mjs --app <function app dir> [--port N] [--host ADDR]');
  process.exit(2);
}
const appDir = resolve(args.app);

/** @type {import('./azure-core-api.mjs').LogFunction} */
function log(level, category, message) {
  const line = `[${new Date().toISOString()}] ${message}`;
  if (level === 'error' || level === 'critical' || level === 'warning') console.error(line);
  else if (category !== 'system' || level !== 'debug') console.log(line);
}

/**
 * @template T
 * @param {string} path
 * @param {T} fallback
 * @returns {T} the file's JSON, read as the shape of `fallback`
 */
function readJson(path, fallback) {
  return existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : fallback;
}

/** local.settings.json `Values` become environment variables, as with `func start`; the real environment wins. */
function applyLocalSettings() {
  const settings = readJson(join(appDir, 'local.settings.json'), /** @type {{ Values?: Record<string, unknown> }} */ ({}));
  for (const [name, value] of Object.entries(settings.Values ?? {})) {
    if (process.env[name] === undefined) process.env[name] = String(value);
  }
}

/** package.json `main`: one file or a glob with `*` in the file name (`dist/functions/*.js`). */
function entryFiles() {
  const main = readJson(join(appDir, 'package.json'), /** @type {{ main?: string }} */ ({})).main ?? 'index.js';
  const path = join(appDir, main);
  const pattern = basename(path);
  if (!pattern.includes('*')) return [path];
  const matcher = new RegExp(
    `^${pattern
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
  const dir = dirname(path);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => matcher.test(name))
    .sort()
    .map((name) => join(dir, name));
}

/**
 * `{name}`, `{name?}` and `{*name}` segments; everything else matches literally, ignoring case.
 * @param {string} template
 * @returns {(path: string) => Record<string, string> | undefined} the route params, or undefined if the path does not match
 */
function compileRoute(template) {
  const segments = template.split('/').filter(Boolean);
  return (path) => {
    const parts = path.split('/').filter(Boolean);
    /** @type {Record<string, string>} */
    const params = {};
    for (const [index, segment] of segments.entries()) {
      const part = parts[index];
      const variable = /^\{(\*)?([^}?:]+)(?::[^}?]*)?(\?)?\}$/.exec(segment);
      if (variable) {
        const [, catchAll, name = '', optional] = variable; // the pattern always captures a name
        if (catchAll) {
          params[name] = decodeURIComponent(parts.slice(index).join('/'));
          return params;
        }
        if (part === undefined) {
          if (optional) continue;
          return undefined;
        }
        params[name] = decodeURIComponent(part);
      } else if (part === undefined || part.toLowerCase() !== segment.toLowerCase()) {
        return undefined;
      }
    }
    return parts.length <= segments.length ? params : undefined;
  };
}

applyLocalSettings();
const core = createCoreApi(log);
installCoreModule(core.api);
const requireFromApp = createRequire(join(appDir, 'package.json'));
const files = entryFiles();
if (files.length === 0) {
  console.error(`No function files found: build the app first (package.json main in ${appDir}).`);
  process.exit(1);
}
for (const file of files) requireFromApp(file);

const registeredModel = core.programmingModel();
if (!registeredModel) {
  console.error('No @azure/functions programming model registered: is @azure/functions v4 installed and app.http(...) called?');
  process.exit(1);
}
const programmingModel = registeredModel;
await programmingModel.getCapabilities({ ...WORKER_CAPABILITIES });

const hostJson = readJson(join(appDir, 'host.json'), /** @type {{ extensions?: { http?: { routePrefix?: string } } }} */ ({}));
const routePrefix = (hostJson.extensions?.http?.routePrefix ?? 'api').replace(/^\/+|\/+$/g, '');
/**
 * @typedef {object} HostedFunction
 * @property {import('./azure-core-api.mjs').FunctionMetadata} metadata
 * @property {import('./azure-core-api.mjs').FunctionCallback} callback
 * @property {string} triggerName
 * @property {string} route
 * @property {string[]} methods
 * @property {(path: string) => Record<string, string> | undefined} match
 */

/** @type {HostedFunction[]} */
const functions = [];
for (const { metadata, callback } of core.registrations) {
  const [triggerName, trigger] = Object.entries(metadata.bindings).find(([, binding]) => /trigger$/i.test(binding.type)) ?? [];
  if (!triggerName || !trigger || trigger.type.toLowerCase() !== 'httptrigger') {
    console.error(`Skipping ${metadata.name}: only HTTP triggers run on this local host.`);
    continue;
  }
  if ((trigger.authLevel ?? 'anonymous').toLowerCase() !== 'anonymous') {
    console.error(`Skipping ${metadata.name}: authLevel "${trigger.authLevel}" needs function keys, which this local host does not model.`);
    continue;
  }
  const route = [routePrefix, trigger.route ?? metadata.name].filter(Boolean).join('/');
  const methods = (trigger.methods ?? ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']).map((method) => method.toUpperCase());
  functions.push({ metadata, callback, triggerName, route, methods, match: compileRoute(route) });
}

/** @param {Iterable<[string, string]>} entries */
function nullableMap(entries) {
  /** @type {Record<string, { value: string }>} */
  const map = {};
  for (const [name, value] of entries) map[name] = { value };
  return map;
}

/**
 * The RpcHttp the host sends the worker for this request (see the header comment).
 * @param {import('node:http').IncomingMessage} request
 * @param {string} rawTarget
 * @param {Buffer} body
 * @param {Record<string, string>} params
 */
function toRpcHttp(request, rawTarget, body, params) {
  const queryStart = rawTarget.indexOf('?');
  /** @type {Map<string, string>} */
  const query = new Map();
  for (const [name, value] of new URLSearchParams(queryStart === -1 ? '' : rawTarget.slice(queryStart + 1))) {
    query.set(name, query.has(name) ? `${query.get(name)},${value}` : value);
  }
  const headers = Object.entries(request.headersDistinct).map(
    ([name, values]) => /** @type {[string, string]} */ ([name.toLowerCase(), (values ?? []).join(',')]),
  );
  return {
    method: request.method,
    url: `http://${request.headers.host ?? `${args.host}:${args.port}`}${rawTarget}`,
    nullableHeaders: nullableMap(headers),
    nullableQuery: nullableMap(query),
    nullableParams: nullableMap(Object.entries(params)),
    identities: [],
    ...(body.length > 0 ? { body: { bytes: body } } : {}),
  };
}

/** @param {import('./azure-core-api.mjs').RpcTypedData | undefined} body */
function rpcBodyBytes(body) {
  if (!body) return Buffer.alloc(0);
  if (body.bytes) return Buffer.from(body.bytes);
  if (body.string !== undefined) return Buffer.from(body.string, 'utf8');
  if (body.json !== undefined) return Buffer.from(body.json, 'utf8');
  return Buffer.alloc(0);
}

/**
 * @param {HostedFunction} fn
 * @param {object} rpcHttp
 */
async function invoke(fn, rpcHttp) {
  const invocationId = randomUUID();
  const coreContext = {
    invocationId,
    state: 'invocation',
    metadata: { name: fn.metadata.name, bindings: fn.metadata.bindings },
    request: {
      invocationId,
      functionId: fn.metadata.name,
      inputData: [{ name: fn.triggerName, data: { http: rpcHttp } }],
      triggerMetadata: {},
    },
    log,
  };
  const model = programmingModel.getInvocationModel(coreContext);
  const { context, inputs } = await model.getArguments();
  const result = await model.invokeFunction(context, inputs, fn.callback);
  coreContext.state = 'postInvocationHooks';
  const response = await model.getResponse(context, result);
  return { invocationId, http: response.returnValue?.http };
}

const server = createServer(async (request, response) => {
  const rawTarget = request.url ?? '/';
  const path = rawTarget.split('?')[0] ?? '';
  /** @type {Buffer[]} */
  const chunks = [];
  for await (const chunk of request) chunks.push(chunk);
  const body = Buffer.concat(chunks);

  /** @type {Record<string, string> | undefined} */
  let params;
  const fn = functions.find(
    (candidate) => candidate.methods.includes(request.method ?? '') && (params = candidate.match(path)) !== undefined,
  );
  if (!fn) {
    response.writeHead(404).end();
    return;
  }
  const started = Date.now();
  try {
    const { invocationId, http } = await invoke(fn, toRpcHttp(request, rawTarget, body, params ?? {}));
    if (!http) {
      response.writeHead(204).end();
    } else {
      for (const [name, value] of Object.entries(http.headers ?? {})) response.setHeader(name, value);
      const cookies = (http.cookies ?? []).map((cookie) => `${cookie.name}=${cookie.value}`);
      if (cookies.length > 0) response.setHeader('set-cookie', cookies);
      response.writeHead(Number(http.statusCode ?? 200)).end(rpcBodyBytes(http.body));
    }
    log(
      'information',
      'system',
      `Executed 'Functions.${fn.metadata.name}' (${response.statusCode}, Id=${invocationId}, Duration=${Date.now() - started}ms)`,
    );
  } catch (error) {
    log(
      'error',
      'system',
      `Executed 'Functions.${fn.metadata.name}' (Failed, Duration=${Date.now() - started}ms): ${error instanceof Error ? error.message : String(error)}`,
    );
    if (!response.headersSent) response.writeHead(500).end();
  }
});

server.listen(Number(args.port), args.host, () => {
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  console.log('Functions:\n');
  for (const fn of functions) console.log(`        ${fn.metadata.name}: [${fn.methods.join(',')}] http://${args.host}:${port}/${fn.route}`);
  console.log('\nHost started (twiml-guard demo Azure Functions host)');
});

for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) process.on(signal, () => process.exit(0));

/**
 * A local fake of Twilio's auth-token API for the real `twilio` client:
 * one account with a primary and an optional secondary token, Basic auth on every call. It tells the
 * primary from the secondary credential (`credentials` records which one each call used). Where
 * Twilio's behaviour is not documented, `modes` selects one of the plausible answers, so tests can run
 * the rotation against each:
 *   deleteWithoutSecondary     'not-found' (404 / 20404, the default) | 'no-content' (204)
 *   createWhenSecondaryExists  'replace' (default) | 'conflict' (409)
 *   tokenManagement            'either' credential may call AuthTokens/* (default) | 'primary' only (the secondary gets 403 / 20403)
 *   oldTokenAuthenticatesForMs after Promote the old primary still authenticates this long (default 0)
 *   oldTokenSignsForMs         after Promote Twilio still signs with the old primary this long (`signingToken()`)
 *   GET    /2010-04-01/Accounts/{Sid}.json   200 with either token, 401 (code 20003) otherwise
 *   POST   /v1/AuthTokens/Secondary          201 {secondary_auth_token} (replaces an existing secondary)
 *   DELETE /v1/AuthTokens/Secondary          204, or 404 (code 20404) when there is none
 *   POST   /v1/AuthTokens/Promote            200 {auth_token}: the secondary is the primary, the old primary is gone
 * Only the primary signs webhooks: traffic generators read `primary` at send time.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import twilio from 'twilio';

export interface TwilioAccountsFake {
  readonly url: string;
  readonly accountSid: string;
  primary: string;
  secondary: string | undefined;
  /** Every token Twilio has ever issued as primary, oldest first. */
  readonly primaries: string[];
  /** `METHOD path` of authenticated calls, in order. */
  readonly calls: string[];
  /** Which credential each call in `calls` authenticated with. */
  readonly credentials: ('primary' | 'secondary' | 'old-primary' | 'api-key')[];
  readonly modes: TwilioFakeModes;
  /** The token Twilio signs webhooks with right now (the old primary during `oldTokenSignsForMs`). */
  signingToken(): string;
  /** `METHOD path` of calls that asked Twilio not to e-mail the owners (`SuppressEmailNotification=true`, body or query). */
  readonly suppressed: string[];
  /** Serverless environment variables by key (one service and environment: any ZS/ZE sids). */
  readonly variables: Map<string, { sid: string; value: string }>;
  /** Runs after a promotion is applied and before it is answered: throw to simulate a lost answer / crash. */
  afterPromote?: () => void;
  /**
   * Runs after every applied state change (POST/DELETE on AuthTokens or Variables) and before the answer.
   * Return 'drop' to never answer (the caller is being killed).
   */
  afterChange?: (route: string) => 'drop' | void;
  /** An API key (SK…) that authenticates like a token and is unaffected by rotation. */
  readonly apiKey: { readonly sid: string; readonly secret: string };
  /**
   * Twilio Functions check: after every change, the primary must be among the tokens the environment's
   * TWILIO_AUTH_TOKEN / TWILIO_AUTH_TOKEN_PENDING hold (what a Function accepts). Violations, in order.
   */
  readonly functionsViolations: string[];
  checkFunctionsInvariant: boolean;
  close(): Promise<void>;
}

export interface TwilioFakeModes {
  deleteWithoutSecondary: 'not-found' | 'no-content';
  createWhenSecondaryExists: 'replace' | 'conflict';
  tokenManagement: 'either' | 'primary';
  oldTokenAuthenticatesForMs: number;
  oldTokenSignsForMs: number;
}

export function newAuthToken(): string {
  return randomBytes(16).toString('hex');
}

export async function startTwilioAccountsFake(accountSid: string, primary: string): Promise<TwilioAccountsFake> {
  let base = '';
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => answer(request, response, new URLSearchParams(Buffer.concat(chunks).toString('utf8'))));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const fake: TwilioAccountsFake = {
    url: base,
    accountSid,
    primary,
    secondary: undefined,
    primaries: [primary],
    calls: [],
    credentials: [],
    modes: {
      deleteWithoutSecondary: 'not-found',
      createWhenSecondaryExists: 'replace',
      tokenManagement: 'either',
      oldTokenAuthenticatesForMs: 0,
      oldTokenSignsForMs: 0,
    },
    signingToken: () => (retired && Date.now() < retired.promotedAt + fake.modes.oldTokenSignsForMs ? retired.token : fake.primary),
    suppressed: [],
    apiKey: { sid: `SK${randomBytes(16).toString('hex')}`, secret: randomBytes(16).toString('hex') },
    functionsViolations: [],
    checkFunctionsInvariant: false,
    variables: new Map(),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };

  function json(response: ServerResponse, status: number, body?: unknown): void {
    response.writeHead(status, body === undefined ? {} : { 'content-type': 'application/json' });
    response.end(body === undefined ? undefined : JSON.stringify(body));
  }

  function error(response: ServerResponse, status: number, code: number, message: string): void {
    json(response, status, { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status });
  }

  let retired: { token: string; promotedAt: number } | undefined;

  function credential(request: IncomingMessage): TwilioAccountsFake['credentials'][number] | undefined {
    const header = request.headers.authorization ?? '';
    if (!header.startsWith('Basic ')) return undefined;
    const [user, password] = Buffer.from(header.slice(6), 'base64').toString('utf8').split(':');
    if (user === fake.apiKey.sid) return password === fake.apiKey.secret ? 'api-key' : undefined;
    if (user !== accountSid || password === undefined) return undefined;
    if (password === fake.primary) return 'primary';
    if (password === fake.secondary) return 'secondary';
    if (retired && password === retired.token && Date.now() < retired.promotedAt + fake.modes.oldTokenAuthenticatesForMs)
      return 'old-primary';
    return undefined;
  }

  /** After a state change: checks the Functions invariant, then lets the test drop the answer. */
  function changed(route: string): boolean {
    if (fake.checkFunctionsInvariant) {
      const accepted = [
        fake.variables.get('TWILIO_AUTH_TOKEN')?.value ?? '',
        ...(fake.variables.get('TWILIO_AUTH_TOKEN_PENDING')?.value ?? '').split(','),
      ].map((t) => t.trim());
      if (!accepted.includes(fake.primary))
        fake.functionsViolations.push(`after ${route}: the primary is not in TWILIO_AUTH_TOKEN / TWILIO_AUTH_TOKEN_PENDING`);
    }
    return fake.afterChange?.(route) === 'drop';
  }
  function drop(response: ServerResponse): undefined {
    response.socket?.destroy();
    return undefined;
  }

  function answer(request: IncomingMessage, response: ServerResponse, form: URLSearchParams): void {
    const path = (request.url ?? '').split('?')[0] ?? '';
    const route = `${request.method} ${path}`;
    const used = credential(request);
    if (!used) return error(response, 401, 20003, 'Authenticate');
    fake.calls.push(route);
    fake.credentials.push(used);
    if (path.startsWith('/v1/AuthTokens/') && fake.modes.tokenManagement === 'primary' && used !== 'primary') {
      return error(response, 403, 20403, 'Auth tokens can be managed with the primary auth token only');
    }
    const query = new URLSearchParams((request.url ?? '').split('?')[1] ?? '');
    if ((form.get('SuppressEmailNotification') ?? query.get('SuppressEmailNotification')) === 'true') fake.suppressed.push(route);
    const now = new Date().toUTCString();
    const url = `${base}/v1/AuthTokens`;
    switch (route) {
      case `GET /2010-04-01/Accounts/${accountSid}.json`:
        return json(response, 200, {
          sid: accountSid,
          friendly_name: 'fake',
          status: 'active',
          type: 'Full',
          date_created: now,
          date_updated: now,
        });
      case 'POST /v1/AuthTokens/Secondary':
        if (fake.secondary !== undefined && fake.modes.createWhenSecondaryExists === 'conflict')
          return error(response, 409, 20409, 'A secondary auth token already exists');
        fake.secondary = newAuthToken();
        if (changed(route)) return drop(response);
        return json(response, 201, {
          account_sid: accountSid,
          secondary_auth_token: fake.secondary,
          date_created: now,
          date_updated: now,
          url: `${url}/Secondary`,
        });
      case 'DELETE /v1/AuthTokens/Secondary':
        if (fake.secondary === undefined) {
          if (fake.modes.deleteWithoutSecondary === 'no-content') return json(response, 204);
          return error(response, 404, 20404, 'The requested resource /AuthTokens/Secondary was not found');
        }
        fake.secondary = undefined;
        if (changed(route)) return drop(response);
        return json(response, 204);
      case 'POST /v1/AuthTokens/Promote': {
        if (fake.secondary === undefined) return error(response, 404, 20404, 'The requested resource /AuthTokens/Promote was not found');
        retired = { token: fake.primary, promotedAt: Date.now() };
        fake.primary = fake.secondary;
        fake.secondary = undefined;
        fake.primaries.push(fake.primary);
        if (changed(route)) return drop(response);
        try {
          fake.afterPromote?.();
        } catch {
          // The promotion happened; the caller never hears about it.
          response.socket?.destroy();
          return undefined;
        }
        return json(response, 200, {
          account_sid: accountSid,
          auth_token: fake.primary,
          date_created: now,
          date_updated: now,
          url: `${url}/Promote`,
        });
      }
      default:
        if (!serverless(request.method ?? '', path, form, response)) error(response, 404, 20404, `no route ${route}`);
        return undefined;
    }
  }

  /** `/v1/Services/ZS…/Environments/ZE…/Variables[/ZV…]` of serverless.twilio.com. */
  function serverless(method: string, path: string, form: URLSearchParams, response: ServerResponse): true | undefined {
    const match = /^\/v1\/Services\/(ZS\w+)\/Environments\/(ZE\w+)\/Variables(?:\/(ZV\w+))?$/.exec(path);
    if (!match) return undefined;
    const [, serviceSid, environmentSid, variableSid] = match;
    const listUrl = `${base}/v1/Services/${serviceSid}/Environments/${environmentSid}/Variables`;
    const resource = (key: string, entry: { sid: string; value: string }) => ({
      sid: entry.sid,
      account_sid: accountSid,
      service_sid: serviceSid,
      environment_sid: environmentSid,
      key,
      value: entry.value,
      date_created: new Date().toISOString(),
      date_updated: new Date().toISOString(),
      url: `${listUrl}/${entry.sid}`,
    });
    const byValueSid = [...fake.variables].find(([, entry]) => entry.sid === variableSid);
    if (method === 'GET' && !variableSid) {
      json(response, 200, {
        variables: [...fake.variables].map(([key, entry]) => resource(key, entry)),
        meta: {
          page: 0,
          page_size: 100,
          first_page_url: listUrl,
          previous_page_url: null,
          url: listUrl,
          next_page_url: null,
          key: 'variables',
        },
      });
    } else if (method === 'POST' && !variableSid) {
      const key = form.get('Key') ?? '';
      if (fake.variables.has(key)) error(response, 409, 54208, `Variable with key ${key} already exists`);
      else {
        const entry = { sid: `ZV${randomBytes(16).toString('hex')}`, value: form.get('Value') ?? '' };
        fake.variables.set(key, entry);
        if (changed(`POST Variables ${key}`)) {
          drop(response);
          return true;
        }
        json(response, 201, resource(key, entry));
      }
    } else if (!byValueSid) {
      error(response, 404, 20404, `variable ${variableSid} not found`);
    } else if (method === 'POST') {
      byValueSid[1].value = form.get('Value') ?? byValueSid[1].value;
      if (changed(`POST Variables/${byValueSid[0]}`)) {
        drop(response);
        return true;
      }
      json(response, 200, resource(byValueSid[0], byValueSid[1]));
    } else if (method === 'DELETE') {
      fake.variables.delete(byValueSid[0]);
      if (changed(`DELETE Variables/${byValueSid[0]}`)) {
        drop(response);
        return true;
      }
      json(response, 204);
    } else {
      return undefined;
    }
    return true;
  }

  return fake;
}

/**
 * Options for `twilio(sid, token, options)` that send the client's requests to the fake: the real
 * `RequestClient` (axios), with `https://{accounts,api,serverless}.twilio.com` replaced by the fake's base URL.
 */
export function fakeTwilioClientOptions(fake: Pick<TwilioAccountsFake, 'url'>): Record<string, unknown> {
  const real = new twilio.RequestClient({ autoRetry: false });
  return {
    httpClient: {
      request: (options: { uri: string }) =>
        real.request({ ...options, uri: options.uri.replace(/^https:\/\/(accounts|api|serverless)\.twilio\.com/, fake.url) } as never),
    },
  };
}

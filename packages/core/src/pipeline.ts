/**
 * The webhook pipeline: a platform-neutral request goes in, a platform-neutral response comes out,
 * and the user's handler runs only for requests Twilio signed (docs/design.md, rule 5: fail closed, explain in logs).
 */
import { bodyHashFromUrl } from './body-hash.js';
import { createDeduplicator } from './dedupe.js';
import { findNearMissMaybe, diagnosisLimiter, nearMissFix, noNearMissFix } from './diagnostics.js';
import { utf8ByteLength } from './crypto/index.js';
import { andThen, isPromise, type MaybePromise } from './crypto/maybe.js';
import { parseFormBody, parseFormBodyChecked, type FormParams } from './form-body.js';
import { firstHeader, singleHeader } from './headers.js';
import { checkHttpAuthMaybe } from './http-auth.js';
import { warnOnceIfInsecure } from './https-warning.js';
import { describeError, neverThrowingLogger, stderrJsonLogger, type Logger } from './logger.js';
import { ambiguousPathReason } from './path-segments.js';
import { truncatedQueryReason } from './query-truncation.js';
import { requestPath, resolvePublicUrl, type PublicUrl } from './public-url.js';
import { redactUrl } from './redact-url.js';
import { refusal } from './refusal.js';
import { toWebhookResponse } from './respond.js';
import { boundedAnswer } from './tokens/bounded-answer.js';
import { checkedTokenList } from './tokens/checked-token-list.js';
import { resolveTokenSource } from './tokens/resolve-token-source.js';
import {
  TokenNotConfiguredError,
  TokenStoreUnavailableError,
  usableTokens,
  type TokenList,
  type TokenSource,
} from './tokens/token-source.js';
import { verifySignatureMaybe, type SignatureVerdict, type VerifySignatureInput } from './verify.js';
import type { PlatformDefaults, WebhookOptions } from './options.js';
import type { TwilioWebhookEvent, WebhookHandler, WebhookRequest, WebhookResponse } from './types.js';

/** The default `maxBodyBytes`: 64 KiB, well above any Twilio webhook. */
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;
const ACCOUNT_SID = /^AC[0-9a-fA-F]{32}$/;
const UNSENDABLE_IN_URL = /[#\x00-\x1f\x7f]/;

/** What the guard decides: the verified event, or the refusal to send. */
export type GuardResult =
  | { readonly ok: true; readonly event: TwilioWebhookEvent }
  | { readonly ok: false; readonly response: WebhookResponse };

/** Checks one platform-neutral request: size, URL, auth, signature and body; never runs a handler. */
export type WebhookGuard = (request: WebhookRequest) => Promise<GuardResult>;

interface Rejection {
  readonly status: number;
  readonly phrase: string;
  readonly reason: string;
  readonly headers?: Record<string, string>;
  readonly level?: 'info' | 'warn' | 'error';
  readonly details?: Record<string, unknown>;
}

/**
 * Everything but the handler: size, auth, signature, body. Adapters that wrap a handler the user
 * already has (`withTwilioSignature`, middlewares) call this and pass the original event on.
 */
export function createWebhookGuard(options: WebhookOptions = {}, platform: PlatformDefaults = { name: 'core' }): WebhookGuard {
  const logger: Logger = neverThrowingLogger(options.logger ?? stderrJsonLogger);
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const limiter = diagnosisLimiter();
  let tokens: TokenSource | undefined;
  // Resolved on first use, never at import: the secret store client loads only when a request needs it.
  const tokenSource = (): TokenSource => (tokens ??= resolveTokenSource(options.authToken, platform.defaultTokenSource));

  const reject = (request: WebhookRequest, rejection: Rejection, publicUrl?: PublicUrl): GuardResult => {
    logger[rejection.level ?? 'warn']({
      msg: `rejected webhook: ${rejection.reason}`,
      adapter: platform.name,
      status: rejection.status,
      method: request.method,
      ...(publicUrl ? { url: redactUrl(publicUrl.url), urlSource: publicUrl.source } : {}),
      ...rejection.details,
    });
    return { ok: false, response: refusal(rejection.status, rejection.phrase, rejection.headers) };
  };

  const publicUrlOf = (request: WebhookRequest): PublicUrl | GuardResult => {
    try {
      return resolvePublicUrl(request, options);
    } catch (error) {
      const reason = typeof options.url === 'function' ? 'the url option threw' : 'the public URL could not be resolved';
      return reject(request, {
        status: 500,
        phrase: 'Internal Server Error',
        reason,
        level: 'error',
        details: { error: describeError(error) },
      });
    }
  };

  const guard = async (request: WebhookRequest): Promise<GuardResult> => {
    const method = request.method.toUpperCase();
    if (method !== 'POST' && method !== 'GET') {
      return reject(request, {
        status: 405,
        phrase: 'Method Not Allowed',
        reason: `method ${method} (Twilio sends GET or POST)`,
        headers: { allow: 'GET, POST' },
      });
    }
    const size = typeof request.body === 'string' ? utf8ByteLength(request.body) : request.body.byteLength;
    if (size > maxBodyBytes) {
      return reject(request, {
        status: 413,
        phrase: 'Payload Too Large',
        reason: `body of ${size} bytes exceeds maxBodyBytes ${maxBodyBytes}`,
      });
    }

    // Resolved once here: Digest checks the request target against it, the signature signs it.
    const publicUrl = publicUrlOf(request);
    if ('ok' in publicUrl) return publicUrl;
    if (UNSENDABLE_IN_URL.test(publicUrl.url)) {
      // A fragment or a control character: Twilio never sends one, and the URL variants would read it differently.
      return reject(
        request,
        { status: 400, phrase: 'Bad Request', reason: 'the URL holds a fragment (#) or a control character' },
        publicUrl,
      );
    }
    // The public URL and the path the platform routed: a signature resolved through dot segments would open another route.
    const ambiguousPath = ambiguousPathReason(publicUrl.url) ?? ambiguousPathReason(requestPath(request));
    if (ambiguousPath !== undefined) {
      return reject(request, { status: 400, phrase: 'Bad Request', reason: `${ambiguousPath}: Twilio never calls such a URL` }, publicUrl);
    }
    const truncatedQuery = truncatedQueryReason(publicUrl.url);
    if (truncatedQuery !== undefined) {
      return reject(request, { status: 400, phrase: 'Bad Request', reason: `${truncatedQuery}: Twilio never calls such a URL` }, publicUrl);
    }
    if (method === 'GET' && size > 0) {
      // A GET is signed over its URL only: a body would reach the handler unsigned.
      return reject(
        request,
        {
          status: 400,
          phrase: 'Bad Request',
          reason: `a GET with a ${size}-byte body: Twilio never sends one, and the signature would not cover it`,
        },
        publicUrl,
      );
    }

    if (options.basicAuth || options.digestAuth) {
      // Synchronous on Node; WebCrypto answers with a promise.
      const checked = checkHttpAuthMaybe(request, method, publicUrl.url, options);
      const refused = isPromise(checked) ? await checked : checked;
      if (refused) {
        return reject(
          request,
          {
            status: 401,
            phrase: 'Unauthorized',
            reason: refused.reason,
            headers: { 'www-authenticate': refused.challenge },
            level: refused.level,
          },
          publicUrl,
        );
      }
    }

    if (options.validate === false) {
      // Skips the signature only: Basic auth, size and body checks still apply.
      logger.warn({ msg: 'signature validation is OFF (validate: false); never deploy this', adapter: platform.name });
      const body = readBody(request, method, publicUrl.url);
      if ('rejection' in body) return reject(request, body.rejection, publicUrl);
      const accountSid = accountSidOf(body.params, body.json);
      const wellFormedSid = accountSid !== undefined && ACCOUNT_SID.test(accountSid) ? accountSid : undefined;
      return { ok: true, event: buildEvent(request, method, publicUrl.url, body.params, body.json, wellFormedSid) };
    }

    const signatureHeader = singleHeader(request.headers, 'x-twilio-signature');
    if (signatureHeader.ambiguous) {
      return reject(request, { status: 400, phrase: 'Bad Request', reason: 'several different X-Twilio-Signature headers' });
    }
    if (!signatureHeader.value) {
      return reject(request, {
        status: 400,
        phrase: 'Missing X-Twilio-Signature header',
        reason: 'no X-Twilio-Signature header: not sent by Twilio',
      });
    }
    const signature = signatureHeader.value;
    warnOnceIfInsecure(publicUrl.url, logger);

    const body = readBody(request, method, publicUrl.url);
    if ('rejection' in body) return reject(request, body.rejection, publicUrl);

    const accountSid = accountSidOf(body.params, body.json);
    if (accountSid !== undefined && !ACCOUNT_SID.test(accountSid)) {
      return reject(request, { status: 400, phrase: 'Bad Request', reason: 'AccountSid is not of the form AC + 32 hex digits' }, publicUrl);
    }

    let tokenList: TokenList;
    try {
      // A warm cache answers synchronously: no await (and no extra microtask) on that path.
      const source = tokenSource();
      const cached = source.getTokens(accountSid);
      const result: unknown = Array.isArray(cached) ? cached : await boundedAnswer(source, cached, 'getTokens');
      // Whatever the source returned (undefined, '', a number, a list of garbage): tokens, or 500 "no auth token configured".
      tokenList = checkedTokenList(result, {
        description: source.description ? `token source ${source.description}` : 'the token source',
        emptyMeansUnknownAccount: accountSid !== undefined && source.perAccount !== false,
      });
    } catch (error) {
      return reject(request, tokenFailure(error, platform), publicUrl);
    }

    const verifyInput = {
      signature,
      url: publicUrl.url,
      ...(body.signedRaw ? { body: request.body } : { params: body.signedParams }),
    };
    // Synchronous on Node (no await, no microtask); WebCrypto answers with a promise.
    const checked = verifySignatureMaybe({ ...verifyInput, tokens: usableTokens(tokenList, Date.now(), accountSid) });
    let verdict = isPromise(checked) ? await checked : checked;
    if (!verdict.valid && verdict.reason === 'mismatch' && tokenSource().refresh) {
      // The token may have been promoted inside the cache TTL: re-read once (rate-limited by the cache).
      const source = tokenSource();
      let refreshed: unknown;
      try {
        refreshed = await boundedAnswer(source, source.refresh?.(accountSid), 'refresh');
      } catch (error) {
        // Stale tokens that could not be re-read: the signer may hold a newer token (a rotation), so 503, not 403.
        if (error instanceof TokenStoreUnavailableError) return reject(request, tokenFailure(error, platform), publicUrl);
      }
      if (Array.isArray(refreshed))
        verdict = await verifySignatureMaybe({ ...verifyInput, tokens: usableTokens(refreshed, Date.now(), accountSid) });
    }
    if (!verdict.valid) {
      const failure = signatureFailure(
        verdict,
        request,
        { ...verifyInput, tokens: usableTokens(tokenList, Date.now(), accountSid) },
        limiter.allow(),
      );
      return reject(request, isPromise(failure) ? await failure : failure, publicUrl);
    }

    // GET: the handler gets the parameters of the URL the signature matched, not a re-reading of the raw one.
    const params = method === 'GET' && verdict.url !== publicUrl.url ? queryParams(verdict.url) : body.params;
    const event = buildEvent(request, method, verdict.url, params, body.json, accountSid);
    return { ok: true, event };
  };

  return async (request) => {
    try {
      return await guard(request);
    } catch (error) {
      // Never a throw into the platform (a failed Lambda invocation, a rejected fetch): a logged 500.
      return reject(request, {
        status: 500,
        phrase: 'Internal Server Error',
        reason: 'the webhook guard failed unexpectedly',
        level: 'error',
        details: { error: describeError(error) },
      });
    }
  };
}

/**
 * The whole pipeline for one handler: the guard, then the handler for verified requests only, then
 * its result as a `WebhookResponse`. Adapters wrap it; use it directly for a platform without one.
 * @param handler - the user's function
 * @param options - the webhook options
 * @param platform - the adapter's name, default token source and token help
 * @returns a function from `WebhookRequest` (and the platform's own objects) to `WebhookResponse`
 * @example
 * ```ts
 * import { createWebhookHandler } from '@twiml-guard/core';
 *
 * const handle = createWebhookHandler(() => '<Response><Message>Hi</Message></Response>', { authToken: process.env.TWILIO_AUTH_TOKEN });
 * export async function onRequest(request: Request): Promise<Response> {
 *   const headers = Object.fromEntries(request.headers); // names lower-case
 *   const response = await handle({ method: request.method, url: request.url, headers, body: await request.text() });
 *   return new Response(response.body, { status: response.status, headers: response.headers });
 * }
 * ```
 */
export function createWebhookHandler<P = unknown>(
  handler: WebhookHandler<P>,
  options: WebhookOptions = {},
  platform: PlatformDefaults = { name: 'core' },
): (request: WebhookRequest, platformContext?: P) => Promise<WebhookResponse> {
  const guard = createWebhookGuard(options, platform);
  const logger = neverThrowingLogger(options.logger ?? stderrJsonLogger);
  const dedupe = options.dedupe ? createDeduplicator(options.dedupe === true ? {} : options.dedupe, logger, platform.name) : undefined;
  const run = async (event: TwilioWebhookEvent, platformContext?: P): Promise<WebhookResponse> => {
    try {
      return toWebhookResponse(await handler(event, platformContext as P));
    } catch (error) {
      logger.error({ msg: 'webhook handler threw', adapter: platform.name, error: describeError(error) });
      return refusal(500, 'Internal Server Error');
    }
  };
  return async (request, platformContext) => {
    const guarded = await guard(request);
    if (!guarded.ok) return guarded.response;
    if (dedupe) return dedupe(guarded.event, () => run(guarded.event, platformContext));
    return run(guarded.event, platformContext);
  };
}

type BodyReading = { params: FormParams; signedParams: FormParams; signedRaw: boolean; json?: unknown } | { rejection: Rejection };

/** docs/design.md rule 4: the raw body is the source of truth; form and JSON are parsed here, from bytes. */
function readBody(request: WebhookRequest, method: string, url: string): BodyReading {
  const contentType = (firstHeader(request.headers, 'content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const size = typeof request.body === 'string' ? request.body.length : request.body.byteLength;
  const bodyHash = bodyHashFromUrl(url);

  if (bodyHash !== undefined) {
    if (size === 0) return { rejection: { status: 400, phrase: 'Bad Request', reason: 'bodySHA256 in the URL but the body is empty' } };
    if (contentType !== 'application/json' && !contentType.endsWith('+json')) {
      return {
        rejection: {
          status: 415,
          phrase: 'Unsupported Media Type',
          reason: `bodySHA256 in the URL with content type "${contentType}" (expected application/json)`,
        },
      };
    }
    let json: unknown;
    try {
      json = JSON.parse(typeof request.body === 'string' ? request.body : new TextDecoder('utf-8', { fatal: true }).decode(request.body));
    } catch {
      return { rejection: { status: 400, phrase: 'Bad Request', reason: 'JSON body does not parse' } };
    }
    const none = Object.create(null) as FormParams;
    return { params: none, signedParams: none, signedRaw: true, json };
  }

  if (method === 'GET') {
    // Twilio puts a GET webhook's parameters in the query, which the signed URL covers: they are read
    // (leniently: the URL is what was signed, whatever its encoding) from the URL that matched.
    return { params: queryParams(url), signedParams: Object.create(null) as FormParams, signedRaw: false };
  }

  if (contentType === 'application/json' || contentType.endsWith('+json')) {
    return {
      rejection: {
        status: 400,
        phrase: 'Bad Request',
        reason: 'JSON body without bodySHA256 in the URL: Twilio always adds it to JSON webhooks',
      },
    };
  }
  if (size > 0 && contentType !== 'application/x-www-form-urlencoded') {
    return {
      rejection: {
        status: 415,
        phrase: 'Unsupported Media Type',
        reason: `content type "${contentType || '(none)'}": Twilio posts application/x-www-form-urlencoded or JSON`,
      },
    };
  }
  const parsed = parseFormBodyChecked(request.body);
  if (parsed.problems.length > 0) return { rejection: { status: 400, phrase: 'Bad Request', reason: `form body: ${parsed.problems[0]}` } };
  if (parsed.repeatedPair !== undefined) {
    // The signature de-duplicates repeated values (as twilio does): the copies would reach the handler unsigned.
    return {
      rejection: {
        status: 400,
        phrase: 'Bad Request',
        reason: 'form body: a key=value pair is repeated byte for byte (Twilio never repeats one; the signature covers one copy)',
      },
    };
  }
  return { params: parsed.params, signedParams: parsed.params, signedRaw: false };
}

function queryParams(url: string): FormParams {
  const queryStart = url.indexOf('?');
  return parseFormBody(queryStart === -1 ? '' : url.slice(queryStart + 1));
}

function accountSidOf(params: FormParams, json: unknown): string | undefined {
  const fromParams = Object.hasOwn(params, 'AccountSid') ? params.AccountSid : undefined;
  if (typeof fromParams === 'string') return fromParams;
  if (Array.isArray(fromParams)) return fromParams.join(',');
  if (
    json &&
    typeof json === 'object' &&
    Object.hasOwn(json, 'AccountSid') &&
    typeof (json as { AccountSid?: unknown }).AccountSid === 'string'
  ) {
    return (json as { AccountSid: string }).AccountSid;
  }
  return undefined;
}

function buildEvent(
  request: WebhookRequest,
  method: string,
  url: string,
  params: FormParams,
  json: unknown,
  accountSid?: string,
): TwilioWebhookEvent {
  const idempotencyToken = firstHeader(request.headers, 'i-twilio-idempotency-token');
  return {
    params,
    ...(json !== undefined ? { json } : {}),
    url,
    method,
    // The adapters' map, as is: normalizeHeaders builds it without a prototype.
    headers: request.headers,
    body: request.body,
    ...(accountSid !== undefined ? { accountSid } : {}),
    ...(idempotencyToken !== undefined ? { idempotencyToken } : {}),
  };
}

function generalTokenAdvice(platform: PlatformDefaults): string {
  return `Set TWILIO_AUTH_TOKEN, pass the authToken option${platform.tokenHelp ? `, or ${platform.tokenHelp}` : ''}`;
}

function tokenFailure(error: unknown, platform: PlatformDefaults): Rejection {
  if (error instanceof TokenNotConfiguredError) {
    return {
      status: 500,
      phrase: 'Webhook misconfigured',
      level: 'error',
      reason: `no auth token configured (${error.message}). ${error.remedy ?? generalTokenAdvice(platform)}`,
    };
  }
  if (error instanceof TokenStoreUnavailableError) {
    return { status: 503, phrase: 'Service Unavailable', level: 'error', reason: error.message, headers: { 'retry-after': '5' } };
  }
  return {
    status: 503,
    phrase: 'Service Unavailable',
    level: 'error',
    reason: 'token lookup failed',
    headers: { 'retry-after': '5' },
    details: { error: describeError(error) },
  };
}

function signatureFailure(
  verdict: Extract<SignatureVerdict, { valid: false }>,
  request: WebhookRequest,
  verifyInput: VerifySignatureInput,
  diagnose: boolean,
): MaybePromise<Rejection> {
  switch (verdict.reason) {
    case 'no-token':
      return {
        status: 403,
        phrase: 'Twilio Request Validation Failed.',
        reason: 'no auth token for this account (unknown AccountSid, or the store returned none)',
      };
    case 'malformed-signature':
      return {
        status: 403,
        phrase: 'Twilio Request Validation Failed.',
        reason: 'X-Twilio-Signature is not a base64 HMAC-SHA1 (28 characters)',
      };
    case 'invalid-url':
      return {
        status: 500,
        phrase: 'Internal Server Error',
        level: 'error',
        reason: 'the public URL is not absolute (scheme://host/...): check the url/baseUrl option',
      };
    case 'body-hash-mismatch':
      return {
        status: 403,
        phrase: 'Twilio Request Validation Failed.',
        reason: 'body does not hash to the bodySHA256 in the URL (body altered, or re-serialised before it reached us)',
      };
    default: {
      const details: Record<string, unknown> = {};
      if (request.urlNotes?.length) details.hints = request.urlNotes;
      const rejection: Rejection = {
        status: 403,
        phrase: 'Twilio Request Validation Failed.',
        reason: 'signature does not match',
        details,
      };
      if (!diagnose) return rejection;
      return andThen(findNearMissMaybe(verifyInput, request.alternateUrls), (nearMiss) => {
        if (nearMiss) {
          details.wouldMatch = redactUrl(nearMiss.url);
          details.fix = nearMissFix(nearMiss, verifyInput.url);
        } else {
          details.fix = noNearMissFix(verifyInput.url);
        }
        return rejection;
      });
    }
  }
}

/**
 * Twilio Runtime `(context, event)` → the core's `WebhookRequest`. The public URL is
 * `DOMAIN_NAME + PATH`; the Runtime keeps no raw body and merges the query into `event`, so the
 * form body is rebuilt from `event` (encoded as Twilio encodes it) and what cannot be recovered is
 * said in `urlNotes`. A Protected function's gateway may have checked the signature already.
 */
import { encodeFormBody, joinBaseUrl, parseFormBody, stderrJsonLogger, type FormParams, type WebhookRequest } from '@twiml-guard/core';
import {
  firstHeader,
  neverThrowingLogger,
  normalizeHeaders,
  redactUrl,
  type Translation as AdapterTranslation,
} from '@twiml-guard/core/adapter';
import { gatewayCheckedEvent, gatewayDecision } from './protected-visibility.js';
import { TWILIO_FUNCTIONS_PLATFORM } from './platform-defaults.js';
import type { TwilioFunctionCallback, TwilioFunctionContext, TwilioFunctionEvent, TwilioFunctionsOptions } from './types.js';

/** Why a Runtime invocation cannot be verified: the status and phrase to answer, and the reason to log. */
export interface Untranslatable {
  readonly status: number;
  readonly phrase: string;
  readonly reason: string;
}

/** A Runtime invocation translated for the core (with the parameters and whether the body was JSON), or why it could not be. */
export type Translation =
  | { readonly ok: true; readonly request: WebhookRequest; readonly params: FormParams; readonly json: boolean }
  | { readonly ok: false; readonly refusal: Untranslatable };

/** Twilio's own parameters are PascalCase (`AccountSid`, `MediaUrl0`); anything else most likely came from the URL's query. */
const TWILIO_PARAMETER_NAME = /^[A-Z][A-Za-z0-9]*$/;
/** twilio-run serves on localhost over plain http; every deployed domain is https. */
const LOCAL_HOST = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\]|[^:/]*\.localhost)(:\d+)?$/i;

/**
 * Whether a `DOMAIN_NAME` is twilio-run's local server (plain http), not a deployed domain.
 * @param domain - the context's `DOMAIN_NAME`
 * @returns `true` for localhost and loopback addresses
 */
export function isLocalDomain(domain: string): boolean {
  return LOCAL_HOST.test(domain);
}

function contextString(context: TwilioFunctionContext, name: string): string | undefined {
  const value = context[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** `event` without `request`; `nonForm` names the first key whose value is not a string (or list of strings). */
function eventParameters(event: TwilioFunctionEvent): { params: FormParams; nonForm?: string } {
  // No prototype: a parameter named `__proto__` stays a parameter.
  const params = Object.create(null) as FormParams;
  for (const [key, value] of Object.entries(event)) {
    if (key === 'request') continue;
    if (typeof value === 'string') params[key] = value;
    else if (Array.isArray(value) && value.every((item) => typeof item === 'string')) params[key] = [...(value as string[])];
    else return { params, nonForm: key };
  }
  return { params };
}

function sameValue(a: string | readonly string[] | undefined, b: string | readonly string[]): boolean {
  if (a === undefined) return false;
  if (typeof a === 'string' || typeof b === 'string') return a === b;
  return a.length === b.length && a.every((item, index) => item === b[index]);
}

/**
 * Twilio signs a configured query as part of the URL, not as parameters. When the exact URL is
 * configured, its query keys (with the same values) are taken back out of the merged `event`.
 */
function withoutConfiguredQuery(params: FormParams, configuredUrl: string | undefined): { params: FormParams; removed: string[] } {
  const queryStart = configuredUrl?.indexOf('?') ?? -1;
  if (configuredUrl === undefined || queryStart === -1) return { params, removed: [] };
  const query = parseFormBody(configuredUrl.slice(queryStart + 1).split('#')[0] ?? '');
  const kept = Object.create(null) as FormParams;
  const removed: string[] = [];
  for (const [key, value] of Object.entries(params)) {
    if (sameValue(query[key], value)) removed.push(key);
    else kept[key] = value;
  }
  return { params: kept, removed };
}

/** How `toWebhookRequest` finds the public URL. */
export interface TranslationOptions {
  /** The exact webhook URL when configured as a string (`url` option or `TWILIO_WEBHOOK_URL`).
   * @default none: the URL is `DOMAIN_NAME + PATH`
   */
  readonly configuredUrl?: string;
}

/**
 * Twilio Runtime `(context, event)` → the core's `WebhookRequest`: the URL from `DOMAIN_NAME + PATH`,
 * the form body rebuilt from `event` as Twilio encodes it.
 * @param context - the Runtime context
 * @param event - the Runtime event (parameters, headers)
 * @param options - the configured URL, if any
 * @returns the translated request, or why it could not be translated
 */
export function toWebhookRequest(
  context: TwilioFunctionContext,
  event: TwilioFunctionEvent,
  options: TranslationOptions = {},
): Translation {
  const domain = contextString(context, 'DOMAIN_NAME');
  const path = contextString(context, 'PATH');
  if (domain === undefined || path === undefined) {
    return {
      ok: false,
      refusal: {
        status: 400,
        phrase: 'Bad Request',
        reason: 'context.DOMAIN_NAME or context.PATH is missing: not called by the Twilio Runtime',
      },
    };
  }
  const rawHeaders = event?.request?.headers;
  if (typeof rawHeaders !== 'object' || rawHeaders === null) {
    return {
      ok: false,
      refusal: {
        status: 500,
        phrase: 'Webhook misconfigured',
        reason:
          'event.request.headers is missing, so X-Twilio-Signature cannot be read: add "@twilio/runtime-handler" (>= 1.2.0, an exact version) to the service dependencies',
      },
    };
  }
  const headers = normalizeHeaders(rawHeaders as Record<string, string | readonly string[] | undefined>);
  const contentType = (firstHeader(headers, 'content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const { params: merged, nonForm } = eventParameters(event);
  const json = contentType === 'application/json' || contentType.endsWith('+json');

  if (nonForm !== undefined && !json) {
    return {
      ok: false,
      refusal: {
        status: 400,
        phrase: 'Bad Request',
        reason: `event.${nonForm} is not a string: the runtime parsed nested keys, so the signed form body cannot be rebuilt`,
      },
    };
  }

  const local = isLocalDomain(domain);
  const inferredUrl = (local ? 'http://' : 'https://') + domain + path;
  const configuredInContext = contextString(context, 'TWILIO_WEBHOOK_URL');
  const baseInContext = contextString(context, 'PUBLIC_BASE_URL');
  const { params, removed } = withoutConfiguredQuery(merged, options.configuredUrl ?? configuredInContext);

  // No method reaches the function: Twilio's POSTs always carry a form content type, its GETs none.
  const method = contentType === '' && Object.keys(params).length > 0 ? 'GET' : 'POST';
  const query = method === 'GET' ? encodeFormBody(params) : '';
  const relativePath = query ? `${path}?${query}` : path;

  let url = inferredUrl + (query ? `?${query}` : '');
  let urlSource = `${local ? 'http' : 'https'}:// + context.DOMAIN_NAME + context.PATH`;
  if (configuredInContext !== undefined) {
    url = configuredInContext;
    urlSource = 'context.TWILIO_WEBHOOK_URL';
  } else if (baseInContext !== undefined) {
    url = joinBaseUrl(baseInContext, relativePath);
    urlSource = 'context.PUBLIC_BASE_URL + context.PATH';
  }
  if (query) urlSource += ' + query rebuilt from event';

  const urlNotes = [
    'the Twilio Runtime passes no raw body and merges the query string into event: the signed parameters were rebuilt from event',
  ];
  const foreignKeys = Object.keys(params).filter((key) => !TWILIO_PARAMETER_NAME.test(key));
  if (foreignKeys.length > 0 && method === 'POST') {
    urlNotes.push(
      `event holds keys that are not Twilio parameters (${foreignKeys.slice(0, 5).join(', ')}): probably the webhook URL's own query string, which Twilio signs as part of the URL. Configure that exact URL with the url option or TWILIO_WEBHOOK_URL (its query keys are then left out of the signed parameters), drop the query from the webhook URL, or make the function Protected`,
    );
  }
  if (removed.length > 0) urlNotes.push(`keys ${removed.join(', ')} were taken as the configured URL's query, not signed parameters`);
  if (method === 'GET') {
    urlNotes.push(
      'GET webhook: the query string was rebuilt from event in arrival order and may not be the bytes Twilio signed; prefer POST webhooks or Protected visibility',
    );
  }
  if (local) urlNotes.push(`local development server: Twilio must have signed ${inferredUrl} (a tunnel URL needs the url option)`);

  const request: WebhookRequest = {
    method,
    url,
    // Object.assign onto a null-prototype map: a header named `__proto__` stays a header.
    headers:
      method === 'POST' && contentType === ''
        ? Object.assign(Object.create(null) as typeof headers, headers, { 'content-type': 'application/x-www-form-urlencoded' })
        : headers,
    body: method === 'POST' && !json ? encodeFormBody(params) : '',
    path: relativePath,
    urlSource,
    urlNotes,
  };
  return { ok: true, request, params, json };
}

type RuntimeArgs = readonly [TwilioFunctionContext, TwilioFunctionEvent, TwilioFunctionCallback];

/**
 * The adapter's translator: the request to verify, refused what cannot be verified here (a JSON
 * webhook, whose raw body the Runtime drops), or the event a Protected function's gateway checked
 * (`skipValidationWhenProtected`). Each decision about the gateway is logged once per function.
 */
export function translate(options: TwilioFunctionsOptions): (args: RuntimeArgs) => AdapterTranslation {
  const logger = neverThrowingLogger(options.logger ?? stderrJsonLogger);
  let gatewayLogged = false;
  let gatewayIgnoredLogged = false;

  return ([context, event]) => {
    const configuredUrl = typeof options.url === 'string' ? options.url : process.env.TWILIO_WEBHOOK_URL;
    const translation = toWebhookRequest(context ?? {}, event ?? {}, configuredUrl ? { configuredUrl } : {});
    if (!translation.ok) return { ok: false, ...translation.refusal };
    const { request, params, json } = translation;

    const decision = gatewayDecision(options, context, request);
    if (decision.skip) {
      if (!gatewayLogged) {
        gatewayLogged = true;
        logger.info({
          msg: `signature check left to Twilio's gateway (skipValidationWhenProtected, service ${decision.serviceSid}): safe only if this function's visibility is Protected`,
          adapter: TWILIO_FUNCTIONS_PLATFORM.name,
        });
      }
      return { ok: true, verified: gatewayCheckedEvent(request, params, json, event) };
    }
    if (decision.why && !gatewayIgnoredLogged) {
      gatewayIgnoredLogged = true;
      logger.info({ msg: `skipValidationWhenProtected not applied: ${decision.why}`, adapter: TWILIO_FUNCTIONS_PLATFORM.name });
    }
    if (json) {
      return {
        ok: false,
        status: 415,
        phrase: 'Unsupported Media Type',
        reason:
          'JSON webhook: the Twilio Runtime parses JSON bodies and drops the raw bytes, so bodySHA256 cannot be checked here. Make this function Protected (Twilio checks the signature at its gateway) and set skipValidationWhenProtected: true',
        details: { url: redactUrl(request.url) },
      };
    }
    return { ok: true, request };
  };
}

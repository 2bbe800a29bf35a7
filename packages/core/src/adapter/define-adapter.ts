/**
 * The one contract every platform adapter is built from: translate → refuse what cannot be
 * verified → the core's guard or handler → write the platform's result.
 *
 * This module ships only in the `@twiml-guard/core/adapter` bundle, so it takes the pipeline from
 * the main entry by the package name: a user's bundle holds one copy of the pipeline and its caches.
 */
import {
  createWebhookGuard,
  createWebhookHandler,
  describeError,
  neverThrowingLogger,
  refusal,
  stderrJsonLogger,
  toWebhookResponse,
  type Logger,
  type PlatformDefaults,
  type TwilioWebhookEvent,
  type WebhookHandler,
  type WebhookOptions,
  type WebhookRequest,
  type WebhookResponse,
} from '@twiml-guard/core';
import { refuseUntranslatable } from '../untranslatable.js';
import type { TranslatedRequest, Translation } from './translation.js';

/** How the translated request will be used. */
export interface TranslateUse {
  /**
   * `true` when the platform's request goes on to a handler that reads it again (`withTwilioSignature`):
   * a body that can be read only once (a web `Request`, Azure's `HttpRequest`) must be read from a clone.
   */
  readonly originalReadLater: boolean;
}

/** What an adapter provides: everything platform-specific, nothing else. */
export interface AdapterDefinition<
  Args extends readonly unknown[],
  Result,
  Context,
  Options extends WebhookOptions = WebhookOptions,
  Extra extends object = object,
> {
  /** Name in log lines, default token source, token help. */
  readonly platform: PlatformDefaults;
  /** Called once per wrapped function with its options; returns the translator of each platform call. */
  readonly translate: (options: Options, use: TranslateUse) => (args: Args) => Translation<Extra> | Promise<Translation<Extra>>;
  /** A `WebhookResponse` (the handler's, or a refusal) as the platform's result, for this call. */
  readonly write: (response: WebhookResponse, args: Args, translation: Translation<Extra> | undefined) => Result;
  /** The handler's second argument (`twilioWebhook` only). */
  readonly platformContext?: (args: Args, translation: Translation<Extra>) => Context;
  /** The options the core runs with, when the platform adds to the user's (a token source of its own). Default: the user's. */
  readonly coreOptions?: (options: Options) => WebhookOptions;
  /** Runs each core call inside per-call platform state (the Twilio Runtime's invocation context). */
  readonly around?: <T>(args: Args, run: () => Promise<T>) => Promise<T>;
}

/** A call that ends before the core: the response to write, and the failed translation if there was one. */
type Ended<Extra extends object> = { readonly response: WebhookResponse; readonly translation?: Translation<Extra> };

/** What a guard decided: the verified event, or the platform result that refuses the call. */
export type GuardOutcome<Result> =
  | { readonly ok: true; readonly event: TwilioWebhookEvent }
  | { readonly ok: false; readonly result: Result };

/** The entry points an adapter's public functions are written with. */
export interface Adapter<Args extends readonly unknown[], Result, Context, Options extends WebhookOptions = WebhookOptions> {
  readonly platform: PlatformDefaults;
  /** `twilioWebhook`: the user's handler behind the whole pipeline, answering every call with a platform result. */
  webhook(handler: WebhookHandler<Context>, options: Options): (args: Args) => Promise<Result>;
  /**
   * `withTwilioSignature` and middlewares: the verdict only. The original request goes on to the
   * user's own handler, so translation reads a copy unless `use` says otherwise.
   */
  guard(options: Options, use?: TranslateUse): (args: Args) => Promise<GuardOutcome<Result>>;
}

/**
 * Builds an adapter from its platform-specific parts. The contract owns everything between them:
 * a failed translation is refused with a log line (`rejected webhook: <reason>`), a translator that
 * throws is a logged 500, an event a platform gateway verified skips the core's check, and nothing
 * is ever thrown to the platform but what `write` throws.
 *
 * @internal For the twiml-guard adapters; see CONTRIBUTING.md, "Adding a platform adapter".
 * @param definition - The platform's `translate`, `write`, `platformContext` and defaults.
 * @returns `webhook(handler, options)` and `guard(options)`, which the adapter's `twilioWebhook`,
 *   `withTwilioSignature` and middleware call.
 * @example
 * const nodeHttp = defineAdapter<[IncomingMessage, Buffer], WebhookResponse, IncomingMessage>({
 *   platform: { name: 'node-http' },
 *   translate: () => ([req, body]) =>
 *     req.url?.startsWith('/')
 *       ? { ok: true, request: { method: req.method ?? 'GET', url: ORIGIN + req.url, headers: normalizeHeaders(req.headers), body } }
 *       : { ok: false, reason: 'request target is not a path' },
 *   write: (response) => response,
 *   platformContext: ([req]) => req,
 * });
 * export function twilioWebhook(handler: WebhookHandler<IncomingMessage>, options: WebhookOptions = {}) {
 *   const webhook = nodeHttp.webhook(handler, options);
 *   return (req: IncomingMessage, body: Buffer) => webhook([req, body]);
 * }
 */
export function defineAdapter<
  Args extends readonly unknown[],
  Result,
  Context = undefined,
  Options extends WebhookOptions = WebhookOptions,
  Extra extends object = object,
>(definition: AdapterDefinition<Args, Result, Context, Options, Extra>): Adapter<Args, Result, Context, Options> {
  const { platform, write } = definition;
  const coreOptions = (options: Options): WebhookOptions => (definition.coreOptions ? definition.coreOptions(options) : options);
  const around = definition.around ?? (<T>(_args: Args, run: () => Promise<T>): Promise<T> => run());

  /**
   * The translation, or the response that ends the call (a refusal, or a 500 for a translator that
   * threw). Synchronous for a synchronous translator: no extra microtask on the request path.
   */
  const translator = (options: Options, use: TranslateUse, logger: Logger) => {
    const translate = definition.translate(options, use);
    const failed = (error: unknown): Ended<Extra> => {
      logger.error({ msg: 'webhook guard failed', adapter: platform.name, error: describeError(error) });
      return { response: refusal(500, 'Internal Server Error') };
    };
    const settle = (translation: Translation<Extra>): Translation<Extra> | Ended<Extra> =>
      translation.ok ? translation : { response: refuseUntranslatable(logger, platform.name, translation), translation };
    return (args: Args): Translation<Extra> | Ended<Extra> | Promise<Translation<Extra> | Ended<Extra>> => {
      let translated: Translation<Extra> | Promise<Translation<Extra>>;
      try {
        translated = translate(args);
      } catch (error) {
        return failed(error);
      }
      return isPromise(translated) ? translated.then(settle, failed) : settle(translated);
    };
  };

  return {
    platform,
    webhook(handler, options) {
      const logger = neverThrowingLogger(options.logger ?? stderrJsonLogger);
      const translate = translator(options, { originalReadLater: false }, logger);
      const handle = createWebhookHandler(handler, coreOptions(options), platform);
      const contextOf = (args: Args, translation: Translation<Extra>): Context =>
        definition.platformContext ? definition.platformContext(args, translation) : (undefined as Context);
      return async (args) => {
        const pending = translate(args);
        const translated = isPromise(pending) ? await pending : pending;
        if ('response' in translated) return write(translated.response, args, translated.translation);
        if ('verified' in translated) {
          return write(
            await runVerified(handler, translated.verified, contextOf(args, translated), logger, platform.name),
            args,
            translated,
          );
        }
        // What is neither refused nor pre-verified is a request to verify.
        const request: WebhookRequest = (translated as TranslatedRequest).request;
        const response = await around(args, () => handle(request, contextOf(args, translated)));
        return write(response, args, translated);
      };
    },
    guard(options, use = { originalReadLater: true }) {
      const logger = neverThrowingLogger(options.logger ?? stderrJsonLogger);
      const translate = translator(options, use, logger);
      const guard = createWebhookGuard(coreOptions(options), platform);
      return async (args) => {
        const pending = translate(args);
        const translated = isPromise(pending) ? await pending : pending;
        if ('response' in translated) return { ok: false, result: write(translated.response, args, translated.translation) };
        if ('verified' in translated) return { ok: true, event: translated.verified };
        // What is neither refused nor pre-verified is a request to verify.
        const request: WebhookRequest = (translated as TranslatedRequest).request;
        const guarded = await around(args, () => guard(request));
        return guarded.ok ? guarded : { ok: false, result: write(guarded.response, args, translated) };
      };
    },
  };
}

/** A handler on an event the platform verified: as the pipeline runs one (a throw is a logged 500), without the core's check. */
async function runVerified<Context>(
  handler: WebhookHandler<Context>,
  event: TwilioWebhookEvent,
  context: Context,
  logger: Logger,
  adapter: string,
): Promise<WebhookResponse> {
  try {
    return toWebhookResponse(await handler(event, context));
  } catch (error) {
    logger.error({ msg: 'webhook handler threw', adapter, error: describeError(error) });
    return refusal(500, 'Internal Server Error');
  }
}

function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

/** The shapes the Twilio Runtime hands a function, as far as this adapter reads them. */
import type { WebhookHandler, WebhookOptions } from '@twiml-guard/core';

/** `context`: environment variables plus the Runtime's own fields. */
export interface TwilioFunctionContext {
  /** Environment domain without scheme, e.g. `example-1234-dev.twil.io`; locally `localhost:3000`. */
  readonly DOMAIN_NAME?: string;
  /** The function's public path, e.g. `/sms/reply`. */
  readonly PATH?: string;
  /** Set when deployed; undefined in local development. */
  readonly SERVICE_SID?: string;
  /** The account's SID. */
  readonly ACCOUNT_SID?: string;
  /** Present when "Add my Twilio Credentials (ACCOUNT_SID) and (AUTH_TOKEN) to ENV" is on. */
  readonly AUTH_TOKEN?: string;
  readonly [variable: string]: unknown;
}

/** `event.request`, added by `@twilio/runtime-handler` >= 1.2.0 (header names lower-case). */
export interface TwilioFunctionRequest {
  /** The request headers, names lower-case. */
  readonly headers?: Readonly<Record<string, string | readonly string[] | undefined>>;
  /** The request's cookies. */
  readonly cookies?: Readonly<Record<string, string>>;
}

/** `event`: query and body parameters merged (body wins), plus `request`. */
export interface TwilioFunctionEvent {
  /** The request's headers and cookies (absent before `@twilio/runtime-handler` 1.2.0). */
  readonly request?: TwilioFunctionRequest;
  readonly [parameter: string]: unknown;
}

/** What the Runtime accepts through the callback: here always a `Twilio.Response`-shaped object. */
export interface RuntimeResponse {
  /** Sets the HTTP status. */
  setStatusCode(statusCode: number): unknown;
  /** Adds a response header. */
  appendHeader(name: string, value: string): unknown;
  /** Sets the response body. */
  setBody(body: string): unknown;
}

/** The Runtime's `callback(error, response)`: how a function answers. */
export type TwilioFunctionCallback = (error: unknown, response?: unknown) => void;

/** A Twilio Function's `exports.handler`, as `twilioWebhook` and `withTwilioSignature` return it. */
export type TwilioFunctionHandler = (
  context: TwilioFunctionContext,
  event: TwilioFunctionEvent,
  callback: TwilioFunctionCallback,
) => Promise<void>;

/** The handler's second argument: the Runtime's own `context` and `event`. */
export interface TwilioFunctionsPlatform {
  /** The Runtime's `context`: environment variables and `getTwilioClient()`. */
  readonly context: TwilioFunctionContext;
  /** The Runtime's `event`: the parameters and `request`. */
  readonly event: TwilioFunctionEvent;
}

/** The user's handler on Twilio Functions: gets the verified event and the Runtime's `context` and `event`. */
export type TwilioFunctionsHandler = WebhookHandler<TwilioFunctionsPlatform>;

/**
 * The core's options, plus where the token is read from in the Runtime's `context` and whether a
 * Protected function trusts Twilio's gateway. Unless `authToken` is given, the token comes from the
 * invocation's `context` (`AUTH_TOKEN`, `TWILIO_AUTH_TOKEN`, `TWILIO_AUTH_TOKEN_PENDING`).
 *
 * @example
 * ```ts
 * import { twilioWebhook } from '@twiml-guard/twilio-functions';
 *
 * export const handler = twilioWebhook(handleSms, { authTokenEnv: 'MY_AUTH_TOKEN' });
 * ```
 */
export type TwilioFunctionsOptions = WebhookOptions & {
  /**
   * Name of the environment variable (a key of `context`, else of `process.env`) holding the auth
   * token; comma-separated values hold several tokens.
   * @default `context.AUTH_TOKEN`, then `TWILIO_AUTH_TOKEN` (plus `TWILIO_AUTH_TOKEN_PENDING` during a rotation)
   */
  readonly authTokenEnv?: string;
  /**
   * Trust Twilio's gateway instead of checking here, for functions whose visibility is Protected.
   * Honoured only when deployed (`context.SERVICE_SID` set) and the request carries an
   * `X-Twilio-Signature` header; everywhere else the signature is checked as usual. See README.
   * @default false
   */
  readonly skipValidationWhenProtected?: boolean;
};

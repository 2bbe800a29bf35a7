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
  readonly ACCOUNT_SID?: string;
  /** Present when "Add my Twilio Credentials (ACCOUNT_SID) and (AUTH_TOKEN) to ENV" is on. */
  readonly AUTH_TOKEN?: string;
  readonly [variable: string]: unknown;
}

/** `event.request`, added by `@twilio/runtime-handler` >= 1.2.0 (header names lower-case). */
export interface TwilioFunctionRequest {
  readonly headers?: Readonly<Record<string, string | readonly string[] | undefined>>;
  readonly cookies?: Readonly<Record<string, string>>;
}

/** `event`: query and body parameters merged (body wins), plus `request`. */
export interface TwilioFunctionEvent {
  readonly request?: TwilioFunctionRequest;
  readonly [parameter: string]: unknown;
}

/** What the Runtime accepts through the callback: here always a `Twilio.Response`-shaped object. */
export interface RuntimeResponse {
  setStatusCode(statusCode: number): unknown;
  appendHeader(name: string, value: string): unknown;
  setBody(body: string): unknown;
}

export type TwilioFunctionCallback = (error: unknown, response?: unknown) => void;

export type TwilioFunctionHandler = (context: TwilioFunctionContext, event: TwilioFunctionEvent, callback: TwilioFunctionCallback) => Promise<void>;

/** The handler's second argument: the Runtime's own `context` and `event`. */
export interface TwilioFunctionsPlatform {
  readonly context: TwilioFunctionContext;
  readonly event: TwilioFunctionEvent;
}

export type TwilioFunctionsHandler = WebhookHandler<TwilioFunctionsPlatform>;

export type TwilioFunctionsOptions = WebhookOptions & {
  /**
   * Name of the environment variable (a key of `context`, else of `process.env`) holding the auth
   * token. Default: `context.AUTH_TOKEN`, then `TWILIO_AUTH_TOKEN`.
   */
  readonly authTokenEnv?: string;
  /**
   * Trust Twilio's gateway instead of checking here, for functions whose visibility is Protected.
   * Honoured only when deployed (`context.SERVICE_SID` set) and the request carries an
   * `X-Twilio-Signature` header; everywhere else the signature is checked as usual. See README.
   */
  readonly skipValidationWhenProtected?: boolean;
};

/**
 * What both entry points do before the core runs: translate, refuse what cannot be verified here,
 * and decide whether a Protected function's gateway already checked the signature.
 */
import { redactUrl, refusal, stderrJsonLogger, type Logger, type PlatformDefaults, type WebhookRequest, type WebhookResponse, type TwilioWebhookEvent } from '@twiml-guard/core';
import { contextTokenSource } from './context-token-source.js';
import { gatewayCheckedEvent, gatewayDecision } from './protected-visibility.js';
import { toWebhookRequest } from './to-webhook-request.js';
import type { TwilioFunctionContext, TwilioFunctionEvent, TwilioFunctionsOptions } from './types.js';

export const PLATFORM: PlatformDefaults = {
  name: 'twilio-functions',
  tokenHelp: 'turn on "Add my Twilio Credentials (ACCOUNT_SID) and (AUTH_TOKEN) to ENV" in the service settings, or set the variable named by authTokenEnv',
};

export type Invocation =
  | { readonly kind: 'refused'; readonly response: WebhookResponse }
  | { readonly kind: 'verify'; readonly request: WebhookRequest }
  | { readonly kind: 'gateway-checked'; readonly event: TwilioWebhookEvent };

/** The core's options: the token comes from the invocation's context unless configured explicitly. */
export function coreOptions(options: TwilioFunctionsOptions): TwilioFunctionsOptions {
  return { ...options, authToken: options.authToken ?? contextTokenSource(options.authTokenEnv) };
}

export function invocationPreparer(options: TwilioFunctionsOptions): (context: TwilioFunctionContext, event: TwilioFunctionEvent) => Invocation {
  const logger: Logger = options.logger ?? stderrJsonLogger;
  let gatewayLogged = false;
  let gatewayIgnoredLogged = false;

  const refuse = (status: number, phrase: string, reason: string, url?: string): Invocation => {
    logger[status >= 500 ? 'error' : 'warn']({ msg: `rejected webhook: ${reason}`, adapter: PLATFORM.name, status, ...(url ? { url: redactUrl(url) } : {}) });
    return { kind: 'refused', response: refusal(status, phrase) };
  };

  return (context, event) => {
    const configuredUrl = typeof options.url === 'string' ? options.url : process.env.TWILIO_WEBHOOK_URL;
    const translation = toWebhookRequest(context ?? {}, event ?? {}, configuredUrl ? { configuredUrl } : {});
    if (!translation.ok) return refuse(translation.refusal.status, translation.refusal.phrase, translation.refusal.reason);
    const { request, params, json } = translation;

    const decision = gatewayDecision(options, context, request);
    if (decision.skip) {
      if (!gatewayLogged) {
        gatewayLogged = true;
        logger.info({ msg: `signature check left to Twilio's gateway (skipValidationWhenProtected, service ${decision.serviceSid}): safe only if this function's visibility is Protected`, adapter: PLATFORM.name });
      }
      return { kind: 'gateway-checked', event: gatewayCheckedEvent(request, params, json, event) };
    }
    if (decision.why && !gatewayIgnoredLogged) {
      gatewayIgnoredLogged = true;
      logger.info({ msg: `skipValidationWhenProtected not applied: ${decision.why}`, adapter: PLATFORM.name });
    }
    if (json) {
      return refuse(
        415,
        'Unsupported Media Type',
        'JSON webhook: the Twilio Runtime parses JSON bodies and drops the raw bytes, so bodySHA256 cannot be checked here. Make this function Protected (Twilio checks the signature at its gateway) and set skipValidationWhenProtected: true',
        request.url,
      );
    }
    return { kind: 'verify', request };
  };
}

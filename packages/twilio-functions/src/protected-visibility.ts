/**
 * `skipValidationWhenProtected`: a Protected function's signature is checked by Twilio's gateway
 * before the function runs. The Runtime does not tell a function its visibility, so the option is
 * honoured only where a gateway can exist at all (deployed: `context.SERVICE_SID` is a service
 * SID) and only for requests that carry a signature. The local server never enforces Protected.
 */
import type { FormParams, TwilioWebhookEvent, WebhookRequest } from '@twiml-guard/core';
import type { TwilioFunctionContext, TwilioFunctionEvent, TwilioFunctionsOptions } from './types.js';

const SERVICE_SID = /^ZS[0-9a-fA-F]{32}$/;
const ACCOUNT_SID = /^AC[0-9a-fA-F]{32}$/;

export type GatewayDecision = { readonly skip: true; readonly serviceSid: string } | { readonly skip: false; readonly why?: string };

export function gatewayDecision(options: TwilioFunctionsOptions, context: TwilioFunctionContext, request: WebhookRequest): GatewayDecision {
  if (options.skipValidationWhenProtected !== true) return { skip: false };
  const serviceSid = context.SERVICE_SID;
  if (typeof serviceSid !== 'string' || !SERVICE_SID.test(serviceSid)) {
    return {
      skip: false,
      why: 'context.SERVICE_SID is not set (local development: Protected is not enforced there), so the signature is checked here',
    };
  }
  const signature = request.headers['x-twilio-signature'];
  if (typeof signature !== 'string' || signature === '')
    return { skip: false, why: 'no X-Twilio-Signature header, so the request did not pass a Protected gateway' };
  return { skip: true, serviceSid };
}

/** The JSON webhook's fields as the Runtime parsed them (the `bodySHA256` query key dropped). */
function jsonFields(event: TwilioFunctionEvent): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(event)) if (key !== 'request' && key !== 'bodySHA256') fields[key] = value;
  return fields;
}

/** The event the handler gets when the gateway did the check: same fields as the core builds after its own. */
export function gatewayCheckedEvent(
  request: WebhookRequest,
  params: FormParams,
  json: boolean,
  event: TwilioFunctionEvent,
): TwilioWebhookEvent {
  const accountSid = json ? jsonFields(event).AccountSid : params.AccountSid;
  return {
    params: json ? {} : params,
    ...(json ? { json: jsonFields(event) } : {}),
    url: request.url,
    method: request.method,
    headers: request.headers,
    body: request.body,
    ...(typeof accountSid === 'string' && ACCOUNT_SID.test(accountSid) ? { accountSid } : {}),
  };
}

/** A `WebhookResponse` in the result shape the event's source expects. */
import type { WebhookResponse } from '@twiml-guard/core';
import type { LambdaWebhookResult } from './events.js';
import { detectSource, type EventSource } from './sources/detect-source.js';
import type { LambdaTranslation } from './translate.js';
import { usedMultiValueHeaders } from './sources/headers.js';
import { statusDescription } from './status-text.js';

/**
 * A `WebhookResponse` in the result shape the event's source expects (ALB adds a status description
 * and answers multi-value headers when the target group uses them).
 * @param source - the event's source, from `detectSource`
 * @param response - the response to send
 * @param event - the original event
 * @returns the Lambda result
 */
export function toLambdaResult(source: EventSource | undefined, response: WebhookResponse, event: unknown): LambdaWebhookResult {
  if (source === 'alb') {
    const base = {
      statusCode: response.status,
      statusDescription: statusDescription(response.status),
      body: response.body,
      isBase64Encoded: false,
    };
    // With multi-value headers on, the ALB reads only multiValueHeaders from the result.
    if (usedMultiValueHeaders(event)) {
      const multiValueHeaders: Record<string, string[]> = {};
      for (const [name, value] of Object.entries(response.headers)) multiValueHeaders[name] = [value];
      return { ...base, multiValueHeaders };
    }
    return { ...base, headers: { ...response.headers } };
  }
  return { statusCode: response.status, headers: { ...response.headers }, body: response.body, isBase64Encoded: false };
}

/**
 * The contract's `write`: the result shape of the event's source (ALB, or API Gateway / Function URL).
 * With no translation (the translator threw) the source is detected again, so an ALB still gets its shape.
 */
export function writeResponse(
  response: WebhookResponse,
  args: readonly [unknown, ...unknown[]],
  translation: LambdaTranslation | undefined,
): LambdaWebhookResult {
  return toLambdaResult(translation ? translation.source : sourceOf(args[0]), response, args[0]);
}

/** `detectSource`, or `undefined` (the API Gateway shape) for an event too corrupted to read. */
function sourceOf(event: unknown): EventSource | undefined {
  try {
    return detectSource(event);
  } catch {
    return undefined;
  }
}

/** Dispatches an event to the translator of its source. */
import type { AlbEvent, ApiGatewayV1Event, ApiGatewayV2Event } from '../events.js';
import { albRequest } from './alb.js';
import { detectSource, type EventSource } from './detect-source.js';
import { functionUrlRequest } from './function-url.js';
import { httpV1Request } from './http-v1.js';
import { httpV2Request } from './http-v2.js';
import { restV1Request } from './rest-v1.js';
import type { Translation } from './translation.js';

/** A Lambda event's translation, with the source it came from (`undefined` for an unknown shape). */
export type SourcedTranslation = Translation & { readonly source?: EventSource };

/**
 * Turns any Lambda HTTP event (REST, HTTP API 1.0/2.0, Function URL, ALB) into the core's
 * platform-neutral request, or says why it cannot (the adapter answers 400).
 * @param event - the event Lambda passed to the handler
 * @returns `{ request, source }`, or `{ problem, source }` saying why the event is unusable
 */
export function translateEvent(event: unknown): SourcedTranslation {
  const source = detectSource(event);
  const badMap = source === undefined ? undefined : nonObjectHeaderMap(event as Record<string, unknown>);
  if (badMap) return { source, problem: `event.${badMap} is not an object` };
  switch (source) {
    case 'rest-v1':
      return { source, ...restV1Request(event as ApiGatewayV1Event) };
    case 'http-v1':
      return { source, ...httpV1Request(event as ApiGatewayV1Event) };
    case 'http-v2':
      return { source, ...httpV2Request(event as ApiGatewayV2Event) };
    case 'function-url':
      return { source, ...functionUrlRequest(event as ApiGatewayV2Event) };
    case 'alb':
      return { source, ...albRequest(event as AlbEvent) };
    default:
      return { problem: describeUnknown(event) };
  }
}

/** A hand-made or corrupted event: header maps that are not maps must be a 400, not a TypeError. */
function nonObjectHeaderMap(event: Record<string, unknown>): string | undefined {
  for (const field of ['headers', 'multiValueHeaders']) {
    const value = event[field];
    if (value !== undefined && value !== null && (typeof value !== 'object' || Array.isArray(value))) return field;
  }
  return undefined;
}

function describeUnknown(event: unknown): string {
  if (typeof event !== 'object' || event === null) return `event is ${event === null ? 'null' : typeof event}, not an HTTP event`;
  if (!('requestContext' in event) || typeof (event as { requestContext?: unknown }).requestContext !== 'object') {
    return 'event has no requestContext: not an API Gateway, Function URL or ALB event (direct invoke or another trigger?)';
  }
  return 'event shape not recognised: expected requestContext.http (payload 2.0), requestContext.elb (ALB) or httpMethod + path (payload 1.0)';
}

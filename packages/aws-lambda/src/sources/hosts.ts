/**
 * Which host names are AWS's own (inference is exact there) and the hints added when a request came
 * through something this function cannot see (custom domain, CloudFront).
 */
import type { WebhookHeaders } from '@twiml-guard/core';
import { firstHeader } from '@twiml-guard/core/adapter';

const EXECUTE_API_HOST = /^[a-z0-9]+\.execute-api\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?(?::443)?$/i;
const LAMBDA_URL_HOST = /^[a-z0-9]+\.lambda-url\.[a-z0-9-]+\.on\.aws(?::443)?$/i;

const LOOPBACK_HOST = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])(?::\d+)?$/i;

/** AWS's own execute-api host, or loopback (serverless offline): no custom-domain hint for those. */
export function isExecuteApiOrLocalHost(host: string): boolean {
  return EXECUTE_API_HOST.test(host) || LOOPBACK_HOST.test(host);
}

export function isLambdaUrlOrLocalHost(host: string): boolean {
  return LAMBDA_URL_HOST.test(host) || LOOPBACK_HOST.test(host);
}

export function hasCloudFrontHeaders(headers: WebhookHeaders): boolean {
  return firstHeader(headers, 'x-amz-cf-id') !== undefined || /cloudfront/i.test(firstHeader(headers, 'via') ?? '');
}

export const CLOUDFRONT_NOTE =
  "CloudFront (Via / X-Amz-Cf-Id headers) is in front of this function: Twilio called the distribution's domain, which the event does not carry: set the url or baseUrl option";

export function customDomainNote(host: string, what: string): string {
  return `custom domain ${host}: ${what}; if validation fails set the url option (or baseUrl) to the URL configured in Twilio`;
}

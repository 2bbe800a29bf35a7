/**
 * What the three API Gateway payloads share: the host Twilio called (Host header, else
 * `requestContext.domainName`), and the other public URLs worth trying when a signature misses.
 */
import type { AlternateUrl, WebhookHeaders } from '@twiml-guard/core';
import { firstHeader } from '@twiml-guard/core/adapter';
import { isNamedStage, withoutStage } from './stage.js';

export interface GatewayHost {
  readonly host: string;
  readonly origin: string;
  /** For `urlSource`: which field the host came from. */
  readonly hostSource: string;
}

export function gatewayHost(headers: WebhookHeaders, domainName: unknown, hostHeaderName: string): GatewayHost | undefined {
  const hostHeader = firstHeader(headers, 'host');
  const host = hostHeader ?? (typeof domainName === 'string' ? domainName : undefined);
  if (!host) return undefined;
  return { host, origin: `https://${host}`, hostSource: hostHeader ? hostHeaderName : 'requestContext.domainName' };
}

/**
 * `requestContext.domainName` when it differs from the Host header, and the path with the stage
 * removed or added: the usual reasons a URL configured in Twilio differs from the inferred one.
 */
export function gatewayAlternateUrls(input: {
  readonly headers: WebhookHeaders;
  readonly domainName: unknown;
  readonly origin: string;
  readonly path: string;
  readonly query: string;
  readonly stage: unknown;
  readonly hostHeaderName: string;
}): AlternateUrl[] {
  const { origin, path, query, stage } = input;
  const domainName = typeof input.domainName === 'string' ? input.domainName : undefined;
  const hostHeader = firstHeader(input.headers, 'host');
  const alternates: AlternateUrl[] = [];
  if (domainName && hostHeader && domainName.toLowerCase() !== hostHeader.toLowerCase()) {
    alternates.push({
      url: `https://${domainName}${path}${query}`,
      label: `requestContext.domainName instead of the ${input.hostHeaderName}`,
    });
  }
  const stripped = withoutStage(path, stage);
  if (stripped !== undefined) alternates.push({ url: origin + stripped + query, label: `without the stage "/${String(stage)}"` });
  else if (isNamedStage(stage)) alternates.push({ url: `${origin}/${stage}${path}${query}`, label: `with the stage "/${stage}"` });
  return alternates;
}

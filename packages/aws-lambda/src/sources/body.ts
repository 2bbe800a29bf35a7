/** Lambda bodies arrive as text, or base64 when `isBase64Encoded` (HTTP APIs and Function URLs encode form posts). */

const STRICT_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export type DecodedBody = { readonly body: string | Uint8Array } | { readonly problem: string };

export function decodeBody(body: unknown, isBase64Encoded: unknown): DecodedBody {
  if (body === undefined || body === null) return { body: '' };
  if (typeof body !== 'string') return { problem: 'event.body is not a string (a body parser ran before the signature check?)' };
  if (isBase64Encoded !== true) return { body };
  // Buffer.from(…, 'base64') skips bad characters silently; a body that is not exact base64 did not come from AWS unaltered.
  if (!STRICT_BASE64.test(body)) return { problem: 'isBase64Encoded is true but event.body is not valid base64' };
  return { body: Buffer.from(body, 'base64') };
}

// sms-auto-reply on Lambda (API Gateway), written the common way: twilio's validateRequest + MessagingResponse.
import twilio from 'twilio';
import { replyTo } from './reply-text.mjs';

/**
 * The API Gateway event fields the handler reads (HTTP API payload 2.0 or REST API 1.0).
 * @typedef {object} ApiGatewayEvent
 * @property {Record<string, string | undefined> | null} [headers]
 * @property {string | null} [body]
 * @property {boolean} [isBase64Encoded]
 * @property {string} [rawPath]
 * @property {string} [rawQueryString]
 * @property {string} [path]
 * @property {{ path?: string }} [requestContext]
 */

/** @param {ApiGatewayEvent} event */
export const handler = async (event) => {
  const headers = Object.fromEntries(Object.entries(event.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]));
  const raw = event.isBase64Encoded ? Buffer.from(event.body ?? '', 'base64').toString('utf8') : (event.body ?? '');
  const url = `https://${headers.host}${event.rawPath ?? event.requestContext?.path ?? event.path}${event.rawQueryString ? `?${event.rawQueryString}` : ''}`;
  const signature = headers['x-twilio-signature'] ?? '';
  const token = process.env.TWILIO_AUTH_TOKEN ?? '';
  if (String(headers['content-type']).includes('json')) {
    if (!twilio.validateRequestWithBody(token, signature, url, raw)) return { statusCode: 403, body: 'Forbidden' };
    const fields = JSON.parse(raw);
    return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ reply: replyTo(fields.Body) }) };
  }
  const params = Object.fromEntries(new URLSearchParams(raw));
  if (!twilio.validateRequest(token, signature, url, params)) return { statusCode: 403, body: 'Forbidden' };
  const twiml = new twilio.twiml.MessagingResponse();
  twiml.message(replyTo(params.Body));
  return { statusCode: 200, headers: { 'content-type': 'text/xml' }, body: twiml.toString() };
};

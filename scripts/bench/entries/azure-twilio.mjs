// sms-auto-reply on Azure Functions (v4 model), written the common way: twilio's validateRequest + MessagingResponse.
import { app } from '@azure/functions';
import twilio from 'twilio';
import { replyTo } from './reply-text.mjs';

/**
 * @param {import('@azure/functions').HttpRequest} request
 * @returns {Promise<import('@azure/functions').HttpResponseInit>}
 */
export async function sms(request) {
  const raw = await request.text();
  const signature = request.headers.get('x-twilio-signature') ?? '';
  const token = process.env.TWILIO_AUTH_TOKEN ?? '';
  if ((request.headers.get('content-type') ?? '').includes('json')) {
    if (!twilio.validateRequestWithBody(token, signature, request.url, raw)) return { status: 403, body: 'Forbidden' };
    return { status: 200, jsonBody: { reply: replyTo(JSON.parse(raw).Body) } };
  }
  const params = Object.fromEntries(new URLSearchParams(raw));
  if (!twilio.validateRequest(token, signature, request.url, params)) return { status: 403, body: 'Forbidden' };
  const twiml = new twilio.twiml.MessagingResponse();
  twiml.message(replyTo(params.Body));
  return { status: 200, headers: { 'content-type': 'text/xml' }, body: twiml.toString() };
}

app.http('sms', { methods: ['POST'], authLevel: 'anonymous', handler: sms });

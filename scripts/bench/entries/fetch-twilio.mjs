// sms-auto-reply as a fetch handler (Node runtimes: Vercel, Next.js, Bun), written the common way:
// twilio's validateRequest + MessagingResponse.
import twilio from 'twilio';
import { replyTo } from './reply-text.mjs';

/** @param {Request} request */
async function fetchHandler(request) {
  const raw = await request.text();
  const signature = request.headers.get('x-twilio-signature') ?? '';
  const token = process.env.TWILIO_AUTH_TOKEN ?? '';
  if ((request.headers.get('content-type') ?? '').includes('json')) {
    if (!twilio.validateRequestWithBody(token, signature, request.url, raw)) return new Response('Forbidden', { status: 403 });
    return Response.json({ reply: replyTo(JSON.parse(raw).Body) });
  }
  const params = Object.fromEntries(new URLSearchParams(raw));
  if (!twilio.validateRequest(token, signature, request.url, params)) return new Response('Forbidden', { status: 403 });
  const twiml = new twilio.twiml.MessagingResponse();
  twiml.message(replyTo(params.Body));
  return new Response(twiml.toString(), { headers: { 'content-type': 'text/xml' } });
}

export default { fetch: fetchHandler };

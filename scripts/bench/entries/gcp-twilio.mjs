// sms-auto-reply on Google Cloud Functions (Functions Framework), written the common way:
// twilio's validateRequest on the framework-parsed body + MessagingResponse.
import functions from '@google-cloud/functions-framework';
import twilio from 'twilio';
import { replyTo } from './reply-text.mjs';

/**
 * @param {import('@google-cloud/functions-framework').Request} req
 * @param {import('@google-cloud/functions-framework').Response} res
 */
export function sms(req, res) {
  const url = `https://${req.get('host')}${req.originalUrl}`;
  const signature = req.get('x-twilio-signature') ?? '';
  const token = process.env.TWILIO_AUTH_TOKEN ?? '';
  if (req.is('application/json')) {
    if (!twilio.validateRequestWithBody(token, signature, url, req.rawBody?.toString('utf8') ?? ''))
      return void res.status(403).send('Forbidden');
    return void res.json({ reply: replyTo(req.body.Body) });
  }
  if (!twilio.validateRequest(token, signature, url, req.body)) return void res.status(403).send('Forbidden');
  const twiml = new twilio.twiml.MessagingResponse();
  twiml.message(replyTo(req.body.Body));
  res.type('text/xml').send(twiml.toString());
}

functions.http('sms', sms);

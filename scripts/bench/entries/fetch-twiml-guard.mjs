// sms-auto-reply as a web-standard fetch handler (Workers, Deno, Bun, Vercel, Next.js) with @twiml-guard/fetch.
import { twilioWebhook } from '@twiml-guard/fetch';
import { smsAutoReply } from '../../../templates/sms-auto-reply/handler.ts';

export default { fetch: twilioWebhook(smsAutoReply) };

// The Azure Functions entry point: the shared handler behind the Azure adapter, registered as POST /api/sms.
import { app } from '@azure/functions';
import { twilioWebhook } from '@twiml-guard/azure-functions';
import { smsAutoReply } from '../../../handler.js';

export const sms = twilioWebhook(smsAutoReply);

app.http('sms', { methods: ['POST'], authLevel: 'anonymous', handler: sms });

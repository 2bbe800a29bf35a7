// The Azure Functions entry point: the shared handler behind the Azure adapter, registered as POST /api/call.
import { app } from '@azure/functions';
import { twilioWebhook } from '@twiml-guard/azure-functions';
import { forwardCall } from '../../../handler.js';

export const call = twilioWebhook((event) => forwardCall(event, process.env.FORWARD_TO));

app.http('call', { methods: ['POST'], authLevel: 'anonymous', handler: call });

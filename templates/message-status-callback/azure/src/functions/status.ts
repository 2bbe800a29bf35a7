// The Azure Functions entry point: the shared handler behind the Azure adapter, registered as POST /api/status.
import { app } from '@azure/functions';
import { twilioWebhook } from '@twiml-guard/azure-functions';
import { messageStatusCallback } from '../../../handler.js';

export const status = twilioWebhook(messageStatusCallback);

app.http('status', { methods: ['POST'], authLevel: 'anonymous', handler: status });

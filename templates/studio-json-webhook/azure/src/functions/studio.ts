// The Azure Functions entry point: the shared handler behind the Azure adapter, registered as POST /api/studio.
import { app } from '@azure/functions';
import { twilioWebhook } from '@twiml-guard/azure-functions';
import { studioJsonWebhook } from '../../../handler.js';

export const studio = twilioWebhook(studioJsonWebhook);

app.http('studio', { methods: ['POST'], authLevel: 'anonymous', handler: studio });

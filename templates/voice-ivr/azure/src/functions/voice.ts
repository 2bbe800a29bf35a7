// The Azure Functions entry point: the shared handler behind the Azure adapter, registered as POST /api/voice[/choice].
import { app } from '@azure/functions';
import { twilioWebhook } from '@twiml-guard/azure-functions';
import { voiceIvr } from '../../../handler.js';

export const voice = twilioWebhook(voiceIvr);

app.http('voice', { methods: ['POST'], authLevel: 'anonymous', route: 'voice/{step?}', handler: voice });

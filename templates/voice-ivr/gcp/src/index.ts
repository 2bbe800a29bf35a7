// The Cloud Functions entry point: the shared handler behind the GCP adapter, registered as the HTTP function `voice`.
import * as functions from '@google-cloud/functions-framework';
import { twilioWebhook } from '@twiml-guard/gcp-functions';
import { voiceIvr } from '../../handler.js';

export const voice = twilioWebhook(voiceIvr);

functions.http('voice', voice);

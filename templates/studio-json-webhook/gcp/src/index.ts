// The Cloud Functions entry point: the shared handler behind the GCP adapter, registered as the HTTP function `studio`.
import * as functions from '@google-cloud/functions-framework';
import { twilioWebhook } from '@twiml-guard/gcp-functions';
import { studioJsonWebhook } from '../../handler.js';

export const studio = twilioWebhook(studioJsonWebhook);

functions.http('studio', studio);

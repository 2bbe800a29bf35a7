// The Cloud Functions entry point: the shared handler behind the GCP adapter, registered as the HTTP function `status`.
import * as functions from '@google-cloud/functions-framework';
import { twilioWebhook } from '@twiml-guard/gcp-functions';
import { messageStatusCallback } from '../../handler.js';

export const status = twilioWebhook(messageStatusCallback);

functions.http('status', status);

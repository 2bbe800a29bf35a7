// The Cloud Functions entry point: the shared handler behind the GCP adapter, registered as the HTTP function `sms`.
import * as functions from '@google-cloud/functions-framework';
import { twilioWebhook } from '@twiml-guard/gcp-functions';
import { smsAutoReply } from '../../handler.js';

export const sms = twilioWebhook(smsAutoReply);

functions.http('sms', sms);

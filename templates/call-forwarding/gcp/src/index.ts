// The Cloud Functions entry point: the shared handler behind the GCP adapter, registered as the HTTP function `call`.
import * as functions from '@google-cloud/functions-framework';
import { twilioWebhook } from '@twiml-guard/gcp-functions';
import { forwardCall } from '../../handler.js';

export const call = twilioWebhook((event) => forwardCall(event, process.env.FORWARD_TO));

functions.http('call', call);

// The webhook infra/gcp deploys (entry point "smsAutoReply"); the token comes from TWILIO_AUTH_TOKEN_SECRET.
import * as functions from '@google-cloud/functions-framework';
import { twilioWebhook } from '@twiml-guard/gcp-functions';
import { smsAutoReply } from '../../templates/sms-auto-reply/handler.js';

functions.http('smsAutoReply', twilioWebhook(smsAutoReply));

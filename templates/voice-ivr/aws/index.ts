// The Lambda entry point: the shared handler behind the AWS adapter, nothing else.
import { twilioWebhook } from '@twiml-guard/aws-lambda';
import { voiceIvr } from '../handler.js';

export const handler = twilioWebhook(voiceIvr);

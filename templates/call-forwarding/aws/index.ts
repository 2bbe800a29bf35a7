// The Lambda entry point: the shared handler behind the AWS adapter, nothing else.
import { twilioWebhook } from '@twiml-guard/aws-lambda';
import { forwardCall } from '../handler.js';

export const handler = twilioWebhook((event) => forwardCall(event, process.env.FORWARD_TO));

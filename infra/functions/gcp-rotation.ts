// The rotation function on the secret's Pub/Sub topic that infra/gcp deploys (entry point "rotateTwilioAuthToken").
import * as functions from '@google-cloud/functions-framework';
import { secretManagerRotation } from '@twiml-guard/gcp-functions/rotation';

functions.cloudEvent('rotateTwilioAuthToken', secretManagerRotation());

// The Event Grid rotation function of infra/azure's rotation app (function "rotateTwilioAuthToken").
import { app } from '@azure/functions';
import { keyVaultRotation } from '@twiml-guard/azure-functions/rotation';

app.eventGrid('rotateTwilioAuthToken', { handler: keyVaultRotation() });

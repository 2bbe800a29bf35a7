// The rotation functions of infra/azure's rotation app: "rotateTwilioAuthToken" receives Key Vault's
// SecretNearExpiry / SecretExpired events and records the request (Event Grid waits only 30 s);
// "finishTwilioAuthTokenRotation" runs or resumes the rotation every 5 minutes (the Functions host runs
// a timer function on one instance at a time, which keeps rotations of the secret from overlapping).
import { app } from '@azure/functions';
import { keyVaultRotation, keyVaultRotationTimer } from '@twiml-guard/azure-functions/rotation';

app.eventGrid('rotateTwilioAuthToken', { handler: keyVaultRotation() });
app.timer('finishTwilioAuthTokenRotation', { schedule: '0 */5 * * * *', handler: keyVaultRotationTimer() });

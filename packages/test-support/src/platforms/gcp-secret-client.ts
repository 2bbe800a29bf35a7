/** The real Secret Manager client, talking to a local fake of Secret Manager instead of Google. */
import { SecretManagerServiceClient } from '@google-cloud/secret-manager';
import { OAuth2Client } from 'google-auth-library';

/**
 * A real `SecretManagerServiceClient` over its REST transport (`fallback: true`), sending to
 * `http://127.0.0.1:<port>` with an access token that does not expire during a test (no Google credentials).
 */
export function localSecretManagerClient(port: number): SecretManagerServiceClient {
  const authClient = new OAuth2Client();
  authClient.setCredentials({ access_token: 't', expiry_date: Date.now() + 3.6e6 });
  // gaxios loads node-fetch through a dynamic import(), which jest's CommonJS sandbox refuses without
  // --experimental-vm-modules: hand it Node's fetch (a test-only difference; the wire requests are the same).
  authClient.transporter.defaults.fetchImplementation = fetch;
  return new SecretManagerServiceClient({ fallback: true, apiEndpoint: '127.0.0.1', port, protocol: 'http', authClient });
}

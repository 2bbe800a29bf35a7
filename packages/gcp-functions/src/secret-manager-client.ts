import { optionalPeerMissing } from '@twiml-guard/core/adapter';

/**
 * Waits for a Secret Manager client to connect, when it can say so (the real client has `initialize()`;
 * a test double need not). The generated client's methods each re-throw a failed `initialize()` into a
 * promise nobody holds, so without credentials every call leaves an unhandled rejection, which stops a
 * Node process. Awaited here first, the failure reaches the caller as an error and no call is made.
 */
export async function connected<Client extends object>(client: Client): Promise<Client> {
  const { initialize } = client as { initialize?: () => Promise<unknown> };
  if (typeof initialize === 'function') await initialize.call(client);
  return client;
}

/** A new `SecretManagerServiceClient` (the optional peer, loaded on first use), connected. */
export async function createSecretManagerClient<Client extends object>(): Promise<Client> {
  const { SecretManagerServiceClient } = await import('@google-cloud/secret-manager').catch(
    optionalPeerMissing('@google-cloud/secret-manager'),
  );
  return connected(new SecretManagerServiceClient() as unknown as Client);
}

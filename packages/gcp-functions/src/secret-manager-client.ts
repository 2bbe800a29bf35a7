import { optionalPeerMissing } from '@twiml-guard/core/adapter';

/** The real client's connection: `initialize()` keeps the promise it returns in `secretManagerServiceStub`. */
interface Connectable {
  initialize?: () => Promise<unknown>;
  secretManagerServiceStub?: Promise<unknown>;
}

/**
 * Waits for a Secret Manager client to connect, when it can say so (the real client has `initialize()`;
 * a test double need not). The generated client's methods each re-throw a failed `initialize()` into a
 * promise nobody holds, so without credentials every call leaves an unhandled rejection, which stops a
 * Node process. Awaited here first, the failure reaches the caller as an error and no call is made.
 *
 * The real client keeps a failed connection and returns it from every later `initialize()`: a client
 * the user passed, whose credentials were missing once (a key file mounted late, a metadata server
 * that did not answer in time), would refuse every request until the instance is replaced. The failed
 * connection is forgotten, so the next request connects again, as a client created here would.
 */
export async function connected<Client extends object>(client: Client): Promise<Client> {
  const connectable = client as Connectable;
  if (typeof connectable.initialize !== 'function') return client;
  const connecting = connectable.initialize();
  try {
    await connecting;
  } catch (error) {
    if (connectable.secretManagerServiceStub === connecting) connectable.secretManagerServiceStub = undefined;
    throw error;
  }
  return client;
}

/** A new `SecretManagerServiceClient` (the optional peer, loaded on first use), connected. */
export async function createSecretManagerClient<Client extends object>(): Promise<Client> {
  const { SecretManagerServiceClient } = await import('@google-cloud/secret-manager').catch(
    optionalPeerMissing('@google-cloud/secret-manager'),
  );
  return connected(new SecretManagerServiceClient() as unknown as Client);
}

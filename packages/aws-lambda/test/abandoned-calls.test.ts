/** When the token cache gives up on a slow store, the SDK call is aborted, not left retrying. */
import { secretsManagerTokens, ssmParameterTokens, type AwsSdkClientLike } from '@twiml-guard/aws-lambda';
import { TokenStoreUnavailableError } from '@twiml-guard/core';

function hangingClient(): AwsSdkClientLike & { signals: (AbortSignal | undefined)[] } {
  const signals: (AbortSignal | undefined)[] = [];
  return {
    signals,
    send(_command: never, options?: { abortSignal?: AbortSignal }) {
      signals.push(options?.abortSignal);
      return new Promise<unknown>(() => undefined);
    },
  };
}

test.each([
  [
    'secretsManagerTokens',
    (client: AwsSdkClientLike) => secretsManagerTokens({ secretId: 'twilio/auth-token', client, cache: { timeoutMs: 30 } }),
  ],
  [
    'ssmParameterTokens',
    (client: AwsSdkClientLike) => ssmParameterTokens({ name: '/twilio/auth-token', client, cache: { timeoutMs: 30 } }),
  ],
])('%s passes an abort signal to client.send and aborts it at the cache timeout', async (_name, create) => {
  const client = hangingClient();
  const source = create(client);
  await expect(Promise.resolve(source.getTokens())).rejects.toBeInstanceOf(TokenStoreUnavailableError);
  expect(client.signals.length).toBeGreaterThan(0);
  for (const signal of client.signals) expect(signal?.aborted).toBe(true);
});

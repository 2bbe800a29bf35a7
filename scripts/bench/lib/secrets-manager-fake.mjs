// A local stand-in for AWS Secrets Manager's JSON 1.1 wire protocol (POST / with X-Amz-Target), enough
// for GetSecretValue with a VersionStage, counting every call the real AWS SDK makes to it.
import { createServer } from 'node:http';

/** @typedef {{ target: string, secretId: string | undefined, stage: string }} SecretsManagerCall */

/** @param {Record<string, Record<string, string>>} secrets secret id → staging label → value */
export async function startSecretsManagerFake(secrets) {
  /** @type {SecretsManagerCall[]} */
  const calls = [];
  const server = createServer(async (request, response) => {
    /** @type {Buffer[]} */
    const chunks = [];
    for await (const chunk of request) chunks.push(chunk);
    const target = String(request.headers['x-amz-target'] ?? '');
    const input = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {};
    calls.push({ target, secretId: input.SecretId, stage: input.VersionStage ?? 'AWSCURRENT' });
    const stage = input.VersionStage ?? 'AWSCURRENT';
    const value = target === 'secretsmanager.GetSecretValue' ? secrets[input.SecretId]?.[stage] : undefined;
    if (value === undefined) {
      response.writeHead(400, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': 'ResourceNotFoundException' });
      response.end(
        JSON.stringify({
          __type: 'ResourceNotFoundException',
          message: `Secrets Manager can't find the specified secret value for staging label: ${stage}`,
        }),
      );
      return;
    }
    response.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
    response.end(
      JSON.stringify({
        ARN: `arn:aws:secretsmanager:us-east-1:123456789012:secret:${input.SecretId}-AbCdEf`,
        Name: input.SecretId,
        VersionId: `v-${stage}`,
        SecretString: value,
        VersionStages: [stage],
        CreatedDate: 1795000000,
      }),
    );
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const endpoint = `http://127.0.0.1:${/** @type {import('node:net').AddressInfo} */ (server.address()).port}`;
  return {
    endpoint,
    calls,
    clientConfig: { region: 'us-east-1', endpoint, credentials: { accessKeyId: 'x', secretAccessKey: 'y' }, maxAttempts: 1 },
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

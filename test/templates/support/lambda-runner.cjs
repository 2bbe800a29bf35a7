// Runs packaged Lambda handlers the way the Node.js Lambda runtime does: plain node, the bundle's
// CommonJS `handler` export, AWS SDK v3 from the runtime (here a node_modules link beside the code), invoked with event JSON.
// The token comes from Secrets Manager (TWILIO_AUTH_TOKEN_SECRET_ID, as the stack wires it), served
// by a local fake of the service's JSON 1.1 protocol. Input: a JSON job file; output: job.resultFile.
const { createServer } = require('node:http');
const { readFileSync, writeFileSync } = require('node:fs');

const job = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const secretReads = [];

const fake = createServer((request, response) => {
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', () => {
    const input = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
    const target = String(request.headers['x-amz-target'] || '');
    secretReads.push({ target, secretId: input.SecretId });
    if (target !== 'secretsmanager.GetSecretValue' || input.SecretId !== job.secretArn) {
      response.writeHead(400, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': 'ResourceNotFoundException' });
      response.end(JSON.stringify({ __type: 'ResourceNotFoundException', message: 'no such secret' }));
      return;
    }
    response.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
    response.end(
      JSON.stringify({
        ARN: job.secretArn,
        Name: 'twilio',
        VersionId: 'v1',
        VersionStages: ['AWSCURRENT'],
        SecretString: JSON.stringify({ accountSid: job.accountSid, authToken: job.authToken }),
      }),
    );
  });
});

fake.listen(0, '127.0.0.1', async () => {
  Object.assign(process.env, job.env, {
    TWILIO_AUTH_TOKEN_SECRET_ID: job.secretArn,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: `http://127.0.0.1:${fake.address().port}`,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'secret',
  });
  // Load the SDK before the first invocation: the adapter's 3 s token-store timeout also covers the
  // SDK's first import, which a loaded 2-core CI machine can push past 3 s. The test checks behaviour, not timing.
  await import(
    require.resolve('@aws-sdk/client-secrets-manager', { paths: [require('node:path').dirname(job.invocations[0].handlerFile)] })
  );
  const results = [];
  for (const invocation of job.invocations) {
    const { handler } = require(invocation.handlerFile);
    const result = await handler(invocation.event, {
      functionName: invocation.functionName,
      awsRequestId: invocation.id,
      getRemainingTimeInMillis: () => 10000,
    });
    results.push({ id: invocation.id, result });
  }
  fake.close();
  // A file, not stdout: the functions log to stdout/stderr as they would in CloudWatch.
  writeFileSync(job.resultFile, JSON.stringify({ results, secretReads }));
});

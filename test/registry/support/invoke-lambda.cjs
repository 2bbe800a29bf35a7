// Loads the handler from a `serverless package` zip (unzipped) as the Node.js Lambda runtime does:
// plain node, the bundle's CommonJS `handler` export, called with each event. Input: a JSON job
// file ({ handlerFile, env, invocations: [{ id, event }], resultFile }); output: job.resultFile.
const { readFileSync, writeFileSync } = require('node:fs');

const job = JSON.parse(readFileSync(process.argv[2], 'utf8'));
Object.assign(process.env, job.env);

(async () => {
  const { handler } = require(job.handlerFile);
  const results = [];
  for (const invocation of job.invocations) {
    const result = await handler(invocation.event, {
      functionName: 'sms-auto-reply-dev-sms',
      awsRequestId: invocation.id,
      getRemainingTimeInMillis: () => 10000,
    });
    results.push({ id: invocation.id, result });
  }
  writeFileSync(job.resultFile, JSON.stringify(results));
})().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});

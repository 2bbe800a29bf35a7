// Calls a built Azure function module as the Functions host would: the project's own
// @azure/functions builds each HttpRequest (URL as the host formats it, headers, raw body bytes) and
// an InvocationContext. Input: a JSON job file ({ projectDir, moduleFile, exportName, env,
// requests: [{ id, method, url, headers, body }], resultFile }); output: job.resultFile.
const { createRequire } = require('node:module');
const { join } = require('node:path');
const { readFileSync, writeFileSync } = require('node:fs');

const job = JSON.parse(readFileSync(process.argv[2], 'utf8'));
Object.assign(process.env, job.env);
const projectRequire = createRequire(join(job.projectDir, 'package.json'));
const { HttpRequest, InvocationContext } = projectRequire('@azure/functions');

(async () => {
  const handler = require(job.moduleFile)[job.exportName];
  if (typeof handler !== 'function') throw new Error(`${job.moduleFile} does not export ${job.exportName}`);
  const results = [];
  for (const request of job.requests) {
    const httpRequest = new HttpRequest({
      method: request.method,
      url: request.url,
      headers: request.headers,
      body: { bytes: new TextEncoder().encode(request.body) },
    });
    const context = new InvocationContext({ functionName: job.exportName, invocationId: request.id, logHandler: () => undefined });
    const response = await handler(httpRequest, context);
    const headers = new Headers(response.headers);
    results.push({
      id: request.id,
      status: response.status ?? 200,
      contentType: headers.get('content-type'),
      body: typeof response.body === 'string' ? response.body : response.body === undefined ? '' : String(response.body),
    });
  }
  writeFileSync(job.resultFile, JSON.stringify(results));
})().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});

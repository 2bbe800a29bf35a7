// Runs the built middleware inside real @middy/core (ESM-only, so not importable from jest).
// stdin: {"cases":[{name, event, authToken, parserFirst}]}; stdout: one JSON array of results.
import middy from '@middy/core';
import { twilioSignature } from '../../dist/index.mjs';

// A stand-in for @middy/http-urlencode-body-parser: replaces event.body with an object.
const urlencodeParser = {
  before: (request) => {
    const body = request.event.isBase64Encoded ? Buffer.from(request.event.body, 'base64').toString('utf8') : request.event.body;
    request.event.body = Object.fromEntries(new URLSearchParams(body));
  },
};

const input = JSON.parse(
  await new Promise((resolve) => {
    let text = '';
    process.stdin.on('data', (chunk) => (text += chunk));
    process.stdin.on('end', () => resolve(text));
  }),
);

const results = [];
for (const testCase of input.cases) {
  let handlerSaw;
  const handler = middy(async (event, context) => {
    handlerSaw = { bodyType: typeof event.body, twilioParams: context.twilio?.params, twilioUrl: context.twilio?.url };
    return { statusCode: 200, headers: { 'content-type': 'text/xml' }, body: '<Response><Message>hi</Message></Response>' };
  });
  if (testCase.parserFirst) handler.use(urlencodeParser).use(twilioSignature({ authToken: testCase.authToken }));
  else handler.use(twilioSignature({ authToken: testCase.authToken })).use(urlencodeParser);
  const response = await handler(testCase.event, { awsRequestId: 'r-1', functionName: 'fn' });
  results.push({ name: testCase.name, response, handlerSaw: handlerSaw ?? null });
}
process.stdout.write(JSON.stringify(results));

// Echoes what the function received, so the test can compare it with what the Functions host would hand over.
const { app } = require('@azure/functions');

app.http('echo', {
  methods: ['GET', 'POST'],
  authLevel: 'anonymous',
  route: 'items/{id}/{rest?}',
  handler: async (request, context) => ({
    status: 200,
    headers: { 'x-invocation-id': context.invocationId },
    jsonBody: {
      url: request.url,
      method: request.method,
      params: request.params,
      query: Object.fromEntries(request.query),
      headers: Object.fromEntries(request.headers),
      body: Buffer.from(await request.arrayBuffer()).toString('base64'),
      functionName: context.functionName,
    },
  }),
});

app.http('fails', {
  methods: ['POST'],
  authLevel: 'anonymous',
  handler: async () => {
    throw new Error('handler failed on purpose');
  },
});

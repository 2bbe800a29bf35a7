// Needs a function key: the demo host does not model keys, so it must refuse to serve it rather than serve it open.
const { app } = require('@azure/functions');

app.http('keyed', { methods: ['POST'], authLevel: 'function', handler: async () => ({ body: 'should never run locally' }) });

// Serves one function through the Functions Framework's own server (getServer: its body parsers,
// rawBody, error handling), like `functions-framework --target`, but bound to 127.0.0.1 on a free port.
// Usage: node functions-framework.cjs <bundle.cjs> <function name>; prints "listening <origin>".
const { getTestServer } = require('@google-cloud/functions-framework/testing');

const [source, target] = process.argv.slice(2);
if (!source || !target) throw new Error('usage: node functions-framework.cjs <bundle.cjs> <function name>');
require(source); // registers the function with functions.http(target, ...)
const server = getTestServer(target);
server.listen(0, '127.0.0.1', () =>
  console.log(`listening http://127.0.0.1:${/** @type {import('node:net').AddressInfo} */ (server.address()).port}`),
);
process.on('SIGTERM', () => server.close(() => process.exit(0)));

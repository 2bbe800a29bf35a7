// Preloaded (node -r) into runtimes that listen on every interface (twilio-run, the Functions
// Framework): a server started with only a port binds 127.0.0.1, so tests and the demo never expose them.
const net = require('node:net');

const listen = net.Server.prototype.listen;
/** @param {unknown[]} args */
net.Server.prototype.listen = function listenOnLoopback(...args) {
  if (typeof args[0] === 'number' && typeof args[1] !== 'string') args.splice(1, 0, '127.0.0.1');
  return listen.apply(this, /** @type {Parameters<typeof listen>} */ (args));
};

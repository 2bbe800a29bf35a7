// Child process of fresh-import.mjs: node measure-import.cjs <file> [preload...]. Requires the preloads
// (uncounted), then times require(<file>) and prints {"wallMs","cpuMs"}. A script file, not `node -e`:
// `-e` loads some builtins (node:crypto among them) before the script runs, which would hide their cost.
require('./empty.cjs'); // the module loader's own first-use cost, paid by every platform runtime before the handler
const [file, ...preload] = process.argv.slice(2);
if (!file) throw new Error('usage: node measure-import.cjs <file> [preload...]');
for (const name of preload) require(name);
const cpu = process.cpuUsage();
const start = process.hrtime.bigint();
require(file);
const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
const used = process.cpuUsage(cpu);
process.stdout.write(JSON.stringify({ wallMs, cpuMs: (used.user + used.system) / 1000 }));
// Some platform libraries keep handles open (timers, sockets); the measurement is done.
process.exit(0);

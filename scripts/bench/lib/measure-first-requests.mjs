// Child process of cold-start.mjs: node measure-first-requests.mjs <platform> <bundle.cjs> <count>.
// Loads the bundle, then answers <count> signed webhooks one after the other, as a fresh function
// instance does after a cold start (the JIT has not optimised anything yet), and prints the CPU µs per
// request. The requests are built before the clock starts, except where the platform needs a fresh
// request object per call (Azure, fetch), which both variants then pay alike.
import { createRequire } from 'node:module';
import { azureContext, azureRequest, fetchRequest, gcpRequest, gcpResponse, httpApiEvent } from './platform-requests.mjs';

const [platform, file, countText] = process.argv.slice(2);
if (!platform || !file) throw new Error('usage: node measure-first-requests.mjs <platform> <bundle.cjs> <count>');
const count = Number(countText);
/** @type {import('./platform-requests.mjs').LambdaEntry & import('./platform-requests.mjs').AzureEntry & import('./platform-requests.mjs').GcpEntry & import('./platform-requests.mjs').FetchEntry} the entry of `platform`: only its function is called */
const module = createRequire(import.meta.url)(file);

const event = httpApiEvent();
const req = gcpRequest();
const context = azureContext();
azureRequest(); // sign once, outside the measurement
fetchRequest();

/** @type {Record<string, () => Promise<number>>} */
const invokers = {
  Lambda: async () => (await module.handler(event)).statusCode,
  Azure: async () => (await module.sms(azureRequest(), context)).status ?? 200,
  GCP: async () => {
    const res = gcpResponse();
    await module.sms(req, res);
    return res.statusCode;
  },
  fetch: async () => (await module.default.fetch(fetchRequest())).status,
};
const invoke = invokers[platform];
if (!invoke) throw new Error(`unknown platform ${platform}`);

const start = process.cpuUsage();
for (let i = 0; i < count; i++) {
  const status = await invoke();
  if (status !== 200) throw new Error(`${platform} ${file}: request ${i} answered ${status}`);
}
const used = process.cpuUsage(start);
process.stdout.write(JSON.stringify({ cpuUsPerRequest: (used.user + used.system) / count }));
process.exit(0);

/** Deno (the binary from the `deno` npm package) with `--allow-net` only: no environment access, so every env read is denied. */
import { startDeno, type RunningApp } from './support/servers';
import { appConfig, describeWebhookCases } from './support/webhook-cases';

jest.setTimeout(120_000);

describe('deno --allow-net', () => {
  const config = appConfig();
  let app: RunningApp;
  beforeAll(async () => {
    app = await startDeno(config);
  });
  afterAll(() => app?.stop());
  describeWebhookCases(() => app, config);
});

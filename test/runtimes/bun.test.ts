/** Bun (the binary from the `bun` npm package), resolving `@twiml-guard/fetch` itself through its `bun` export condition. */
import { startBun, type RunningApp } from './support/servers';
import { appConfig, describeWebhookCases } from './support/webhook-cases';

jest.setTimeout(120_000);

describe('bun', () => {
  const config = appConfig();
  let app: RunningApp;
  beforeAll(async () => {
    app = await startBun(config);
  });
  afterAll(() => app?.stop());
  describeWebhookCases(() => app, config);
});

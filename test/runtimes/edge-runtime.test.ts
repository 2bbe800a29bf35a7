/** Vercel Edge Functions and Next.js `runtime = 'edge'` routes: the `edge-runtime` package, bundled with the `edge-light` condition as Next.js does. */
import { startEdgeRuntime, type RunningApp } from './support/servers';
import { appConfig, describeWebhookCases } from './support/webhook-cases';

jest.setTimeout(120_000);

describe('edge-runtime', () => {
  const config = appConfig();
  let app: RunningApp;
  beforeAll(async () => {
    app = await startEdgeRuntime(config);
  });
  afterAll(() => app?.stop());
  describeWebhookCases(() => app, config);
});

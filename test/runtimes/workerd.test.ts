/**
 * Cloudflare Workers: workerd (the Workers runtime, from the `miniflare` package), with no Node
 * compatibility at all and with `nodejs_compat`, both on a 2024 compatibility date (before
 * `process` was populated and before `process.stderr` existed there).
 */
import { startWorkerd, type RunningApp } from './support/servers';
import { appConfig, describeWebhookCases } from './support/webhook-cases';

jest.setTimeout(120_000);

describe.each([
  { label: 'no compatibility flags', compatibilityDate: '2024-09-23', compatibilityFlags: [] },
  { label: 'nodejs_compat', compatibilityDate: '2024-09-23', compatibilityFlags: ['nodejs_compat'] },
])('workerd, compatibility date $compatibilityDate, $label', (options) => {
  const config = appConfig();
  let app: RunningApp;
  beforeAll(async () => {
    app = await startWorkerd(config, options);
  });
  afterAll(() => app?.stop());
  describeWebhookCases(() => app, config);
});

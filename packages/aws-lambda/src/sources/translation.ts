/** What every event-source translator produces: a platform-neutral request, or why the event is unusable (400). */
import type { WebhookRequest } from '@twiml-guard/core';

export type Translation = { readonly request: WebhookRequest } | { readonly problem: string };

/**
 * `@twiml-guard/core/adapter`: the plumbing the twiml-guard platform adapters are built from (the
 * adapter contract, the refusal of untranslatable requests, header, URL, body and SDK helpers).
 * Not for applications: names here may change in any release. Modules reachable only from this
 * entry take the pipeline from the main entry by the package name, so nothing stateful is copied.
 *
 * @internal
 * @packageDocumentation
 */
export { defineAdapter } from './adapter/define-adapter.js';
export type { Adapter, AdapterDefinition, GuardOutcome, TranslateUse } from './adapter/define-adapter.js';
export type { Translation, TranslatedRequest, PreverifiedEvent, TranslationFailure } from './adapter/translation.js';
export { rejectUntranslatable, refuseUntranslatable } from './untranslatable.js';
export { restoreQuoteInQuery } from './restore-quote.js';
export { lazyClient } from './tokens/lazy-client.js';
export { missingSecret } from './tokens/missing-secret.js';
export { splitUrl } from './url-variants.js';
export { normalizeHeaders, singleHeader, firstHeader } from './headers.js';
export { readBoundedBody } from './read-bounded-body.js';
export type { ByteStream } from './read-bounded-body.js';
export { optionalPeerMissing } from './optional-peer.js';
export { redactUrl } from './redact-url.js';
export { neverThrowingLogger, refusal } from '@twiml-guard/core';

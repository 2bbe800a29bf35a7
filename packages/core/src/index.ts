// Signature: drop-in for twilio-node's webhook functions.
export { getExpectedTwilioSignature, validateRequest, validateRequestWithBody, paramsToSignedString } from './signature.js';
export type { TwilioParams } from './signature.js';
export { getExpectedBodyHash, validateBody, bodyHashFromUrl } from './body-hash.js';
export type { RawBody } from './body-hash.js';
export { parseFormBody, parseFormBodyChecked } from './form-body.js';
export { encodeFormBody, encodeFormComponent, toWellFormed } from './form-encoding.js';
export type { FormParams, FormParseResult } from './form-body.js';
export { verifySignature, isWellFormedSignature } from './verify.js';
export type { VerifySignatureInput, SignatureVerdict, SignatureFailure } from './verify.js';
export { urlCandidates, splitUrl, removePort, addDefaultPort } from './url-variants.js';
export type { UrlCandidate, UrlVariant } from './url-variants.js';

// The pipeline every adapter wraps.
export { createWebhookHandler, createWebhookGuard, DEFAULT_MAX_BODY_BYTES } from './pipeline.js';
export type { GuardResult, WebhookGuard } from './pipeline.js';
export type {
  WebhookRequest,
  WebhookResponse,
  WebhookHeaders,
  HeaderValue,
  AlternateUrl,
  TwilioWebhookEvent,
  HandlerResult,
  ResponseObject,
  WebhookHandler,
  WebhookOptions,
  BasicAuthOptions,
  PlatformDefaults,
} from './types.js';
export { resolvePublicUrl, joinBaseUrl, requestPath } from './public-url.js';
export type { PublicUrl } from './public-url.js';
export { toWebhookResponse, refusal, TWIML_CONTENT_TYPE, EMPTY_TWIML } from './respond.js';
export { rejectUntranslatable } from './untranslatable.js';
export { singleHeader, firstHeader, normalizeHeaders } from './headers.js';
export { nearMissUrls, findNearMiss } from './diagnostics.js';
export type { NearMiss } from './diagnostics.js';
export { checkBasicAuth, basicChallenge } from './basic-auth.js';
export { checkDigestAuth, digestChallenge, digestResponse, parseDigestHeader, createNonce, checkNonce } from './digest-auth.js';
export type { DigestAuthOptions, DigestAlgorithm, DigestOutcome } from './digest-auth.js';
export { checkHttpAuth } from './http-auth.js';
export { memoryDedupeStore, dedupeKeys, createDeduplicator } from './dedupe.js';
export type { DedupeStore, DedupeOptions, Deduplicator } from './dedupe.js';
export { isInsecurePublicUrl } from './https-warning.js';
export { redactUrl } from './redact-url.js';
export { restoreQuoteInQuery } from './restore-quote.js';
export { readBoundedBody } from './read-bounded-body.js';
export type { ByteStream } from './read-bounded-body.js';
export { stderrJsonLogger, describeError } from './logger.js';
export type { Logger, LogEntry } from './logger.js';
export { safeEqual, safeEqualSecret } from './safe-equal.js';
export { optionalPeerMissing } from './optional-peer.js';

// Tokens: sources, the cache every store goes through, errors adapters throw.
export { TokenNotConfiguredError, TokenStoreUnavailableError, usableTokens, missingSecret } from './tokens/token-source.js';
export { lazyClient } from './tokens/lazy-client.js';
export type { TokenSource, TokenList, AuthTokenEntry, TokenRole, TokenRequestOptions } from './tokens/token-source.js';
export { CachedTokenSource, cachedTokenSource } from './tokens/cached-token-source.js';
export type { TokenCacheOptions, CacheStats } from './tokens/cached-token-source.js';
export { staticTokens, envTokens } from './tokens/static-tokens.js';
export { resolveTokenSource } from './tokens/resolve-token-source.js';
export type { AuthTokenOption } from './tokens/resolve-token-source.js';
export { parseSecretPayload } from './tokens/secret-payload.js';

// A small typed TwiML builder, byte-identical to twilio's for the verbs it covers.
export * from './twiml/index.js';

// ---- Rotation of the Twilio auth token (issue 8): the platform-neutral protocol the adapters' rotation functions run. ----
export * from './rotation/index.js';

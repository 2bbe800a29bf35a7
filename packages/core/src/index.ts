// Signature: drop-in for twilio-node's webhook functions.
// Node only: the synchronous functions need node:crypto and throw on web-standard runtimes, where the
// `…Async` twin of each (same arguments, a Promise) works; the async twins work on Node too.
export { getExpectedTwilioSignature, validateRequest, validateRequestWithBody, paramsToSignedString } from './signature.js';
export { getExpectedTwilioSignatureAsync, validateRequestAsync, validateRequestWithBodyAsync } from './signature.js';
export type { TwilioParams } from './signature.js';
export { getExpectedBodyHash, validateBody, bodyHashFromUrl, getExpectedBodyHashAsync, validateBodyAsync } from './body-hash.js';
export type { RawBody } from './body-hash.js';
export { parseFormBody, parseFormBodyChecked } from './form-body.js';
export { encodeFormBody, encodeFormComponent, toWellFormed } from './form-encoding.js';
export type { FormParams, FormParseResult } from './form-body.js';
export { verifySignature, verifySignatureAsync, isWellFormedSignature } from './verify.js';
export type { VerifySignatureInput, SignatureVerdict, SignatureFailure } from './verify.js';
export { urlCandidates, removePort, addDefaultPort } from './url-variants.js';
export type { UrlCandidate, UrlVariant } from './url-variants.js';

// The pipeline every adapter wraps (the plumbing adapters are built from: `@twiml-guard/core/adapter`).
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
} from './types.js';
export type { WebhookOptions, BasicAuthOptions, PlatformDefaults } from './options.js';
export { resolvePublicUrl, joinBaseUrl, requestPath } from './public-url.js';
export type { PublicUrl } from './public-url.js';
export { toWebhookResponse, TWIML_CONTENT_TYPE, EMPTY_TWIML } from './respond.js';
export { nearMissUrls, findNearMiss, findNearMissAsync } from './diagnostics.js';
export type { NearMiss } from './diagnostics.js';
export { checkBasicAuth, checkBasicAuthAsync, basicChallenge } from './basic-auth.js';
export { checkDigestAuth, digestChallenge, digestResponse, parseDigestHeader, createNonce, checkNonce } from './digest-auth.js';
export { checkDigestAuthAsync, digestChallengeAsync, digestResponseAsync, createNonceAsync, checkNonceAsync } from './digest-auth.js';
export type { DigestAuthOptions, DigestAlgorithm, DigestOutcome, DigestResponseInput } from './digest-auth.js';
export { checkHttpAuth, checkHttpAuthAsync } from './http-auth.js';
export { memoryDedupeStore, dedupeKeys, dedupeKeysAsync, createDeduplicator } from './dedupe.js';
export type { DedupeStore, DedupeOptions, Deduplicator } from './dedupe.js';
export { isInsecurePublicUrl } from './https-warning.js';
export { stderrJsonLogger, describeError } from './logger.js';
// Adapter plumbing kept here (and re-exported by `@twiml-guard/core/adapter`): the pipeline needs them,
// so the adapter subpath takes them from this entry rather than bundle a second copy.
export { neverThrowingLogger } from './logger.js';
export { refusal } from './refusal.js';
export type { Logger, LogEntry } from './logger.js';
export { safeEqual, safeEqualSecret, safeEqualSecretAsync } from './safe-equal.js';
export { readEnv } from './env.js';
export type { EnvironmentReader } from './env.js';
/** `'node'` (node:crypto, every export synchronous where it was) or `'web'` (WebCrypto: use the `…Async` exports). */
export { cryptoRuntime } from './crypto/index.js';
// Also on the adapter subpath; here while the adapters' rotation modules import it from the main entry.
export { optionalPeerMissing } from './optional-peer.js';

// Tokens: sources, the cache every store goes through, errors adapters throw.
export { TokenNotConfiguredError, TokenStoreUnavailableError, usableTokens } from './tokens/token-source.js';
export type { TokenSource, TokenList, AuthTokenEntry, TokenRole, TokenRequestOptions } from './tokens/token-source.js';
export { CachedTokenSource, cachedTokenSource } from './tokens/cached-token-source.js';
export type { TokenCacheOptions, CacheStats } from './tokens/cached-token-source.js';
export { staticTokens, envTokens } from './tokens/static-tokens.js';
export { resolveTokenSource } from './tokens/resolve-token-source.js';
export type { AuthTokenOption } from './tokens/resolve-token-source.js';
export { parseSecretPayload } from './tokens/secret-payload.js';

// A small typed TwiML builder, byte-identical to twilio's for the verbs it covers.
export * from './twiml/index.js';

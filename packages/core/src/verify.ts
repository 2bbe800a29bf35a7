/**
 * The verdict the pipeline acts on: which token and which URL variant matched, or why nothing did.
 * Unlike twilio's `validateRequest`, a URL carrying `bodySHA256` always has its body checked.
 */
import { bodyHashFromUrl, validateBodyMaybe, type RawBody } from './body-hash.js';
import { cryptoRuntime } from './crypto/index.js';
import { andThen, syncResult, type MaybePromise } from './crypto/maybe.js';
import { hmacMatches, isSignatureShaped, paramsToSignedString, signatureForComparison, type TwilioParams } from './signature.js';
import { findUrlCandidate, isAbsoluteUrl, urlCandidates, type UrlVariant } from './url-variants.js';

/** What `verifySignature` checks: the tokens to try, the header, the public URL and the body. */
export interface VerifySignatureInput {
  /** Every token that may have signed: current, pending and recently previous during a rotation. */
  readonly tokens: readonly string[];
  /** The `X-Twilio-Signature` header, if the request had one. */
  readonly signature: string | undefined;
  /** The public URL Twilio requested; its near variants (port, query re-encoding) are tried too. */
  readonly url: string;
  /** Form webhooks: the decoded body fields (GET: `{}`, the query is part of the URL). */
  readonly params?: TwilioParams;
  /** JSON webhooks: the raw body, checked against the URL's `bodySHA256`. */
  readonly body?: RawBody;
}

/** Why a request was not verified; named in the log line, never in the response. */
export type SignatureFailure =
  | 'missing-signature'
  | 'malformed-signature'
  | 'no-token'
  | 'invalid-url'
  | 'missing-body'
  | 'body-hash-mismatch'
  | 'mismatch';

/** Valid (with the token index and the URL variant that matched), or the reason it is not. */
export type SignatureVerdict =
  | { readonly valid: true; readonly tokenIndex: number; readonly url: string; readonly variant: UrlVariant }
  | { readonly valid: false; readonly reason: SignatureFailure };

/** 27 base64 characters and one `=`, written the way every HMAC-SHA1 digest is (zero padding bits). */
export function isWellFormedSignature(signature: string): boolean {
  return isSignatureShaped(signature);
}

/**
 * Checks a request's signature against every token and URL variant and says which matched, or why
 * none did. Node only (synchronous); everywhere: `verifySignatureAsync`.
 * @param input - the tokens, the header, the public URL and the params or raw body
 */
export function verifySignature(input: VerifySignatureInput): SignatureVerdict {
  return syncResult(verifySignatureMaybe(input), 'verifySignature', 'verifySignatureAsync');
}

/**
 * `verifySignature` on every runtime (WebCrypto where there is no `node:crypto`).
 * @param input - the tokens, the header, the public URL and the params or raw body
 */
export async function verifySignatureAsync(input: VerifySignatureInput): Promise<SignatureVerdict> {
  return verifySignatureMaybe(input);
}

/** The verdict, synchronously on Node; a Promise where the HMAC is WebCrypto's. */
export function verifySignatureMaybe(input: VerifySignatureInput): MaybePromise<SignatureVerdict> {
  const { signature, url } = input;
  if (signature === undefined || signature === '') return { valid: false, reason: 'missing-signature' };
  const expected = signatureForComparison(signature);
  if (!expected) return { valid: false, reason: 'malformed-signature' };
  const tokens = input.tokens.filter((token) => typeof token === 'string' && token.length > 0);
  if (tokens.length === 0) return { valid: false, reason: 'no-token' };
  if (!isAbsoluteUrl(url)) return { valid: false, reason: 'invalid-url' };

  const expectedBodyHash = bodyHashFromUrl(url);
  if (expectedBodyHash !== undefined) {
    // Twilio signs a JSON webhook's URL alone; the body is bound to it by the hash.
    if (input.body === undefined) return { valid: false, reason: 'missing-body' };
    return andThen(validateBodyMaybe(input.body, expectedBodyHash), (bodyMatches) =>
      bodyMatches ? matchSignedUrl(input, tokens, expected, '', expectedBodyHash) : { valid: false, reason: 'body-hash-mismatch' },
    );
  }
  let signedParams: string;
  try {
    signedParams = paramsToSignedString(input.params ?? {});
  } catch {
    return { valid: false, reason: 'mismatch' };
  }
  return matchSignedUrl(input, tokens, expected, signedParams, undefined);
}

function matchSignedUrl(
  input: VerifySignatureInput,
  tokens: readonly string[],
  expected: Uint8Array,
  signedParams: string,
  expectedBodyHash: string | undefined,
): MaybePromise<SignatureVerdict> {
  if (cryptoRuntime === 'web') return matchSignedUrlAsync(input, tokens, expected, signedParams, expectedBodyHash);
  // Node: synchronous HMACs. Candidates outside, tokens inside: each distinct URL string is built
  // once, and a rotation's current token on the URL as received is the first HMAC computed.
  let matchedToken = -1;
  const candidate = findUrlCandidate(input.url, (candidateUrl) => {
    if (!bodyBoundTo(candidateUrl, input.url, expectedBodyHash)) return false;
    const data = candidateUrl + signedParams;
    for (let index = 0; index < tokens.length; index++) {
      if (hmacMatches(tokens[index] as string, data, expected)) {
        matchedToken = index;
        return true;
      }
    }
    return false;
  });
  if (!candidate) return { valid: false, reason: 'mismatch' };
  return { valid: true, tokenIndex: input.tokens.indexOf(tokens[matchedToken] as string), url: candidate.url, variant: candidate.variant };
}

/** WebCrypto: the same candidates and tokens in the same order, one awaited HMAC at a time. */
async function matchSignedUrlAsync(
  input: VerifySignatureInput,
  tokens: readonly string[],
  expected: Uint8Array,
  signedParams: string,
  expectedBodyHash: string | undefined,
): Promise<SignatureVerdict> {
  for (const candidate of urlCandidates(input.url)) {
    if (!bodyBoundTo(candidate.url, input.url, expectedBodyHash)) continue;
    const data = candidate.url + signedParams;
    for (let index = 0; index < tokens.length; index++) {
      if (await hmacMatches(tokens[index] as string, data, expected)) {
        return { valid: true, tokenIndex: input.tokens.indexOf(tokens[index] as string), url: candidate.url, variant: candidate.variant };
      }
    }
  }
  return { valid: false, reason: 'mismatch' };
}

/**
 * The body is bound to the URL the signature covers: a variant that lost or gained a bodySHA256 (the
 * legacy re-encoding drops pairs past 1000) must not lend its signature to this body.
 */
function bodyBoundTo(candidateUrl: string, url: string, expectedBodyHash: string | undefined): boolean {
  return candidateUrl === url || sameBodyHash(candidateUrl, expectedBodyHash);
}

function sameBodyHash(candidateUrl: string, expected: string | undefined): boolean {
  if (expected === undefined) return !candidateUrl.includes('bodySHA256') || bodyHashFromUrl(candidateUrl) === undefined;
  return bodyHashFromUrl(candidateUrl) === expected;
}

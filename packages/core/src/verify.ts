/**
 * The verdict the pipeline acts on: which token and which URL variant matched, or why nothing did.
 * Unlike twilio's `validateRequest`, a URL carrying `bodySHA256` always has its body checked.
 */
import { bodyHashFromUrl, validateBody, type RawBody } from './body-hash.js';
import { paramsToSignedString, signString, type TwilioParams } from './signature.js';
import { safeEqual } from './safe-equal.js';
import { isAbsoluteUrl, urlCandidates, type UrlVariant } from './url-variants.js';

export interface VerifySignatureInput {
  /** Every token that may have signed: current, pending and recently previous during a rotation. */
  readonly tokens: readonly string[];
  readonly signature: string | undefined;
  readonly url: string;
  /** Form webhooks: the decoded body fields (GET: `{}`, the query is part of the URL). */
  readonly params?: TwilioParams;
  /** JSON webhooks: the raw body, checked against the URL's `bodySHA256`. */
  readonly body?: RawBody;
}

export type SignatureFailure =
  | 'missing-signature'
  | 'malformed-signature'
  | 'no-token'
  | 'invalid-url'
  | 'missing-body'
  | 'body-hash-mismatch'
  | 'mismatch';

export type SignatureVerdict =
  | { readonly valid: true; readonly tokenIndex: number; readonly url: string; readonly variant: UrlVariant }
  | { readonly valid: false; readonly reason: SignatureFailure };

/** Every HMAC-SHA1 signature is 20 bytes: 27 base64 characters and one `=`. */
const SIGNATURE_SHAPE = /^[A-Za-z0-9+/]{27}=$/;

export function isWellFormedSignature(signature: string): boolean {
  return SIGNATURE_SHAPE.test(signature);
}

export function verifySignature(input: VerifySignatureInput): SignatureVerdict {
  const { signature, url } = input;
  if (signature === undefined || signature === '') return { valid: false, reason: 'missing-signature' };
  if (!isWellFormedSignature(signature)) return { valid: false, reason: 'malformed-signature' };
  const tokens = input.tokens.filter((token) => typeof token === 'string' && token.length > 0);
  if (tokens.length === 0) return { valid: false, reason: 'no-token' };
  if (!isAbsoluteUrl(url)) return { valid: false, reason: 'invalid-url' };

  const expectedBodyHash = bodyHashFromUrl(url);
  let signedParams = '';
  if (expectedBodyHash !== undefined) {
    // Twilio signs a JSON webhook's URL alone; the body is bound to it by the hash.
    if (input.body === undefined) return { valid: false, reason: 'missing-body' };
    if (!validateBody(input.body, expectedBodyHash)) return { valid: false, reason: 'body-hash-mismatch' };
  } else {
    try {
      signedParams = paramsToSignedString(input.params ?? {});
    } catch {
      return { valid: false, reason: 'mismatch' };
    }
  }

  for (const candidate of urlCandidates(url)) {
    for (let tokenIndex = 0; tokenIndex < tokens.length; tokenIndex++) {
      const expected = signString(tokens[tokenIndex] as string, candidate.url, signedParams);
      if (safeEqual(signature, expected)) {
        return { valid: true, tokenIndex: input.tokens.indexOf(tokens[tokenIndex] as string), url: candidate.url, variant: candidate.variant };
      }
    }
  }
  return { valid: false, reason: 'mismatch' };
}

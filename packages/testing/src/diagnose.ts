import {
  bodyHashFromUrl,
  isWellFormedSignature,
  parseFormBodyChecked,
  urlCandidates,
  verifySignature,
  type SignatureFailure,
  type TwilioParams,
  type UrlCandidate,
  type UrlVariant,
} from '@twiml-guard/core';
import { redactUrl, splitUrl } from '@twiml-guard/core/adapter';
import { DEFAULT_PATH_PREFIXES, nearMissCandidates, type NearMissCandidate } from './near-miss.js';

/** A webhook request as captured (from a log, a proxy, a request bin): what `diagnoseRequest` explains. */
export interface CapturedRequest {
  /** The URL the request was sent to (the public URL, as the function should see it). */
  readonly url: string;
  /**
   * The HTTP method.
   * @default 'POST'
   */
  readonly method?: string;
  /** The request headers, any name case (`X-Twilio-Signature` is read). */
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  /** The raw body. */
  readonly body: string | Uint8Array;
}

/** The tokens to try, and the base paths to try adding or removing. */
export interface DiagnoseOptions {
  /** Tokens that may have signed (current, previous...). */
  readonly authTokens: readonly string[];
  /**
   * Base paths to try adding or removing.
   * @default `DEFAULT_PATH_PREFIXES`
   */
  readonly pathPrefixes?: readonly string[];
}

/** `form`: params from the body; `json`: URL signed alone, body bound by `bodySHA256`; `query`: GET, params in the URL. */
export type SignedPayloadMode = 'form' | 'json' | 'query';

/** The URL variant and token that a signature matched. */
export interface SignatureMatch {
  /** The URL string the signature was computed over. */
  readonly url: string;
  /** How the URL was derived from the captured one. */
  readonly variant: UrlVariant;
  /** Which of `authTokens` signed (0 is the first). */
  readonly tokenIndex: number;
}

/** A near-miss URL whose signature matched: what to change in the configuration. */
export interface NearMissMatch extends NearMissCandidate, SignatureMatch {}

/** What `diagnoseRequest` found. Never holds the token or the signature value. */
export interface Diagnosis {
  /** `true` when the signature matches the captured URL (or a variant twilio accepts). */
  readonly valid: boolean;
  /** How the payload was signed: form body, JSON body bound by `bodySHA256`, or GET query. */
  readonly mode: SignedPayloadMode;
  /** The matching variant and token, when valid. */
  readonly match?: SignatureMatch;
  /** Why it is not valid. */
  readonly failure?: SignatureFailure;
  /** The variants of the captured URL that were tried, in twilio's order. */
  readonly tried: readonly UrlCandidate[];
  /** Only for a plain mismatch: the first near-miss URL whose signature matches. */
  readonly nearMiss?: NearMissMatch;
  /** How many near-miss URLs were tried. */
  readonly nearMissesTried: number;
  /** The base paths tried as a prefix (a stage not among them is found with `--prefix`). */
  readonly prefixesTried?: readonly string[];
  /** Things about the request that explain or risk a failure. */
  readonly notes: readonly string[];
}

/**
 * Explains a captured webhook request offline: which URL variant its signature matches, or why none
 * does, and which near-miss URL (scheme, slash, port, base path, query) would have matched. The
 * result never contains the token or the signature value.
 * @param request - the captured URL, method, headers and body
 * @param options - the tokens to try
 * @returns the diagnosis; `formatDiagnosis` turns it into lines to print
 * @example
 * ```ts
 * import { diagnoseRequest, formatDiagnosis } from '@twiml-guard/testing';
 *
 * // A request as a function logged it: the URL Twilio called, the headers, the raw body.
 * const captured = {
 *   url: 'https://example.com/sms',
 *   headers: { 'x-twilio-signature': 'bm9wZQ==', 'content-type': 'application/x-www-form-urlencoded' },
 *   body: 'Body=hi&From=%2B15005550006',
 * };
 * const diagnosis = diagnoseRequest(captured, { authTokens: [process.env.TWILIO_AUTH_TOKEN!] });
 * console.log(formatDiagnosis(diagnosis).join('\n'));
 * ```
 */
export function diagnoseRequest(request: CapturedRequest, options: DiagnoseOptions): Diagnosis {
  const method = (request.method ?? 'POST').toUpperCase();
  const signature = header(request.headers, 'x-twilio-signature');
  const contentType = header(request.headers, 'content-type') ?? '';
  const notes: string[] = [];
  const bodyLength = typeof request.body === 'string' ? request.body.length : request.body.byteLength;

  let mode: SignedPayloadMode;
  let params: TwilioParams = {};
  if (bodyHashFromUrl(request.url) !== undefined) {
    mode = 'json';
  } else if (method === 'GET' || method === 'HEAD') {
    mode = 'query';
    if (bodyLength > 0) notes.push(`A ${method} request's body is never signed; it was ignored.`);
  } else {
    mode = 'form';
    if (/json/i.test(contentType)) {
      notes.push(
        'The body is JSON but the URL has no bodySHA256: Twilio adds it to every JSON webhook, so the captured URL is not the one Twilio called (was the query string dropped?).',
      );
    }
    const parsed = parseFormBodyChecked(request.body);
    params = parsed.params;
    for (const problem of new Set(parsed.problems))
      notes.push(`The form body has a ${problem}: Twilio never sends that, so it was altered on the way.`);
  }
  if (signature !== undefined && signature !== '' && !isWellFormedSignature(signature)) {
    notes.push(`The X-Twilio-Signature header is not a base64 HMAC-SHA1 (${signature.length} characters instead of 28).`);
  }

  const input = { tokens: options.authTokens, signature, url: request.url, params, ...(mode === 'json' ? { body: request.body } : {}) };
  const verdict = verifySignature(input);
  const tried = Array.from(urlCandidates(request.url));
  if (verdict.valid) {
    return {
      valid: true,
      mode,
      match: { url: verdict.url, variant: verdict.variant, tokenIndex: verdict.tokenIndex },
      tried,
      nearMissesTried: 0,
      notes,
    };
  }
  if (verdict.reason === 'body-hash-mismatch') {
    notes.push(
      'The SHA-256 of the body differs from bodySHA256 in the URL: the body was changed on the way (re-serialised JSON, trimmed, re-encoded).',
    );
  }
  if (verdict.reason !== 'mismatch') return { valid: false, mode, failure: verdict.reason, tried, nearMissesTried: 0, notes };

  const prefixesTried = options.pathPrefixes ?? DEFAULT_PATH_PREFIXES;
  const candidates = nearMissCandidates(request.url, prefixesTried);
  for (const candidate of candidates) {
    const candidateVerdict = verifySignature({ ...input, url: candidate.url });
    if (candidateVerdict.valid) {
      const nearMiss = {
        ...candidate,
        url: candidateVerdict.url,
        variant: candidateVerdict.variant,
        tokenIndex: candidateVerdict.tokenIndex,
      };
      return { valid: false, mode, failure: 'mismatch', tried, nearMiss, nearMissesTried: candidates.length, prefixesTried, notes };
    }
  }
  return { valid: false, mode, failure: 'mismatch', tried, nearMissesTried: candidates.length, prefixesTried, notes };
}

const FAILURE_EXPLANATIONS: Readonly<Record<SignatureFailure, string>> = {
  'missing-signature': 'the request has no X-Twilio-Signature header',
  'malformed-signature': 'the X-Twilio-Signature header is not a signature Twilio could have made',
  'no-token': 'no auth token was given',
  'invalid-url': 'the URL is not absolute (scheme://host/path)',
  'missing-body': 'the URL has bodySHA256 but there is no body',
  'body-hash-mismatch': "the body does not hash to the URL's bodySHA256",
  mismatch: 'no URL variant matches the signature with this token',
};

/** What to change for a near miss: Twilio's URL when it is the one at fault, the function's otherwise. */
export function nearMissAdvice(nearMiss: NearMissCandidate, capturedUrl: string): string {
  const hostChange = nearMiss.changes.find((change) => change.startsWith('with the host '));
  if (hostChange) {
    const signedHost = splitUrl(nearMiss.url)?.host ?? '';
    const capturedHost = splitUrl(capturedUrl)?.host ?? '';
    return `The request was signed for the host "${signedHost}" but received on "${capturedHost}": send it to the host the function validates, or set the \`url\` or \`baseUrl\` option (PUBLIC_BASE_URL) to use "${signedHost}".`;
  }
  if (nearMiss.changes.includes('http instead of https')) {
    return `The webhook URL in the Twilio console is http://: change it in the Twilio console to https (${redactUrl(capturedUrl)}).`;
  }
  return 'Configure your function with that URL (the `url` or `baseUrl` option), or point Twilio at the URL you validate.';
}

/** Human-readable lines for a diagnosis; safe to print (no token, no signature, URLs through redactUrl). `capturedUrl` names the host and the https fix. */
export function formatDiagnosis(diagnosis: Diagnosis, tokenCount = 1, capturedUrl = diagnosis.tried[0]?.url ?? ''): string[] {
  const lines: string[] = [];
  const signedAs = {
    form: 'form POST: URL + sorted body params',
    json: 'JSON POST: URL (with bodySHA256) alone',
    query: 'GET: URL with its query, no params',
  }[diagnosis.mode];
  lines.push(`Signed payload: ${signedAs}`);
  if (diagnosis.match) {
    lines.push(`MATCH: the signature matches URL variant "${diagnosis.match.variant}": ${redactUrl(diagnosis.match.url)}`);
    if (tokenCount > 1) lines.push(`Token #${diagnosis.match.tokenIndex + 1} of ${tokenCount} signed it.`);
  } else {
    lines.push(`NO MATCH: ${FAILURE_EXPLANATIONS[diagnosis.failure ?? 'mismatch']}.`);
    if (diagnosis.failure === 'mismatch') {
      lines.push(`Tried ${diagnosis.tried.length} variant(s) of the URL:`);
      for (const candidate of diagnosis.tried) lines.push(`  ${candidate.variant}: ${redactUrl(candidate.url)}`);
      if (diagnosis.nearMiss) {
        lines.push(`NEAR MISS: the signature matches ${redactUrl(diagnosis.nearMiss.url)}`);
        lines.push(`  that is the captured URL ${diagnosis.nearMiss.changes.join(', ')}.`);
        lines.push(`  ${nearMissAdvice(diagnosis.nearMiss, capturedUrl)}`);
      } else {
        lines.push(
          `No near-miss URL matched either (${diagnosis.nearMissesTried} tried): check the token (the primary token of the account that owns the number) and that the body reached you unmodified.`,
        );
        const host = splitUrl(capturedUrl)?.host;
        if (host)
          lines.push(
            `The host was kept as "${host}": a request sent to another name for it (localhost, 127.0.0.1, a tunnel's host) is signed for that name; give the URL the sender used.`,
          );
        const prefixes = (diagnosis.prefixesTried ?? DEFAULT_PATH_PREFIXES)
          .map((prefix) => `/${prefix.replace(/^\/+|\/+$/g, '')}`)
          .join(', ');
        lines.push(
          `If Twilio calls a stage or base path that was not tried (tried: ${prefixes}), name it: add --prefix <stage>, e.g. --prefix v2.`,
        );
      }
    }
  }
  for (const note of diagnosis.notes) lines.push(`Note: ${note}`);
  return lines;
}

function header(headers: CapturedRequest['headers'], name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== name) continue;
    if (typeof value === 'string') return value;
    if (Array.isArray(value)) return value[0] as string | undefined;
  }
  return undefined;
}

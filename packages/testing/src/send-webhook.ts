import { digestAuthorization, digestStrength, toDigestChallenge, type DigestChallenge } from './digest-auth.js';
import { mergeHeaders, signTwilioRequest, type SignTwilioRequestOptions, type SignedTwilioRequest } from './sign-request.js';
import { requestTarget, splitUrlCredentials, type UrlCredentials } from './url-parts.js';
import { parseWwwAuthenticate } from './www-authenticate.js';

/** What `sendTwilioWebhook` sends: everything `signTwilioRequest` takes, and the `fetch` to send it with. */
export interface SendTwilioWebhookOptions extends SignTwilioRequestOptions {
  /**
   * The fetch implementation to send with.
   * @default the global `fetch`
   */
  readonly fetch?: typeof fetch;
}

/** The function's answer to the simulated webhook. */
export interface TwilioWebhookResult {
  /** The HTTP status of the last response. */
  readonly status: number;
  /** Response headers, names lower-case. */
  readonly headers: Record<string, string>;
  /** The body of the last response, as text. */
  readonly body: string;
  /** The last request sent (with `Authorization` when the auth dance added it). */
  readonly request: SignedTwilioRequest;
  /** Requests sent: 1, 2 after an auth challenge, 3 after a stale Digest nonce. */
  readonly attempts: number;
}

/**
 * A Twilio webhook simulator: signs the request like Twilio and sends it with fetch. When the URL
 * carries `user:pass@`, it does Twilio's auth dance: first without `Authorization`, then, on a 401
 * with a Basic or Digest challenge, once more with credentials (and once again on a stale nonce).
 * @param options - the URL, token, params or JSON body, and optionally `fetch`
 * @returns the last response, the last request, and how many were sent
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { sendTwilioWebhook, smsPreset } from '@twiml-guard/testing';
 *
 * const result = await sendTwilioWebhook({ url: 'http://127.0.0.1:3000/sms', authToken: 'test-token', params: smsPreset({ Body: 'hi' }) });
 * assert.equal(result.status, 200);
 * ```
 */
export async function sendTwilioWebhook(options: SendTwilioWebhookOptions): Promise<TwilioWebhookResult> {
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const { credentials } = splitUrlCredentials(options.url);
  const signed = signTwilioRequest(options);

  let request = signed;
  let response = await send(fetchImpl, request);
  let attempts = 1;
  if (credentials) {
    let previousDigest: DigestChallenge | undefined;
    // Basic: one retry. Digest: one retry, and one more if the server says our nonce went stale.
    while (response.status === 401 && attempts < 3) {
      const challenge = chooseChallenge(response.headers.get('www-authenticate') ?? '');
      if (!challenge) break;
      if (challenge.scheme === 'basic' && attempts > 1) break;
      if (challenge.scheme === 'digest' && previousDigest && !challenge.digest.stale) break;
      const authorization =
        challenge.scheme === 'basic'
          ? basicAuthorization(credentials)
          : digestAuthorization({
              challenge: challenge.digest,
              username: credentials.username,
              password: credentials.password,
              method: signed.method,
              uri: requestTarget(signed.url),
              body: signed.body,
            }).header;
      if (challenge.scheme === 'digest') previousDigest = challenge.digest;
      await response.arrayBuffer(); // release the connection before the retry
      request = { ...signed, headers: mergeHeaders(signed.headers, { Authorization: authorization }) };
      response = await send(fetchImpl, request);
      attempts++;
    }
  }
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  return { status: response.status, headers, body: await response.text(), request, attempts };
}

/**
 * The `Authorization: Basic` value Twilio sends for a URL's credentials.
 * @param credentials - the `user:pass@` of the webhook URL
 */
export function basicAuthorization(credentials: UrlCredentials): string {
  return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`, 'utf8').toString('base64')}`;
}

type ChosenChallenge = { scheme: 'basic' } | { scheme: 'digest'; digest: DigestChallenge };

/** The strongest challenge we can answer: Digest SHA-256, then Digest MD5, then Basic. */
function chooseChallenge(header: string): ChosenChallenge | undefined {
  const challenges = parseWwwAuthenticate(header);
  const digests = challenges
    .map(toDigestChallenge)
    .filter((digest): digest is DigestChallenge => digest !== undefined)
    .sort((a, b) => digestStrength(b) - digestStrength(a));
  const best = digests[0];
  if (best) return { scheme: 'digest', digest: best };
  return challenges.some((challenge) => challenge.scheme === 'basic') ? { scheme: 'basic' } : undefined;
}

function send(fetchImpl: typeof fetch, request: SignedTwilioRequest): Promise<Response> {
  return fetchImpl(request.url, {
    method: request.method,
    headers: request.headers,
    ...(request.method === 'GET' ? {} : { body: request.body }),
    // Report what the webhook answered; Twilio's redirect handling is not simulated.
    redirect: 'manual',
  });
}

/**
 * What the demo sends each platform, through the webhook simulator, and what it must get back:
 * a signed SMS webhook (200 + TwiML), the same webhook signed with a wrong token (403, no TwiML),
 * and a Studio "Make HTTP Request" JSON webhook signed through bodySHA256 (200 + the handler's JSON).
 */
import { randomBytes } from 'node:crypto';
import { presetRequestBody, sendTwilioWebhook } from '@twiml-guard/testing';

/** @typedef {import('./platforms.mjs').Platform} Platform */

/**
 * What a platform must answer: the status, and optionally the content type and what the body holds or lacks.
 * @typedef {{ status: number, contentType?: string, bodyIncludes?: string, bodyExcludes?: string }} Expected
 */

/**
 * @typedef {object} DemoRequest
 * @property {string} id
 * @property {string} label
 * @property {() => ReturnType<typeof presetRequestBody>} body
 * @property {(senderToken: string) => string} token the token that signs it
 * @property {(platform: Platform) => Expected} expect
 */

/**
 * One line of the result table.
 * @typedef {{ platform: string, request: string, status: number | undefined, body: string, contentType: string, ok: boolean,
 *   expected: Expected, error?: string, note?: string }} ResultRow
 */

/** @type {DemoRequest[]} */
export const REQUESTS = [
  {
    id: 'signed-sms',
    label: 'signed SMS',
    body: () => presetRequestBody('sms'),
    token: (senderToken) => senderToken,
    expect: () => ({ status: 200, contentType: 'text/xml', bodyIncludes: '<Message>' }),
  },
  {
    id: 'forged-sms',
    label: 'forged SMS',
    body: () => presetRequestBody('sms'),
    // What an attacker can do: a well-formed signature made with a token that is not yours.
    token: () => randomBytes(16).toString('hex'),
    expect: () => ({ status: 403, bodyExcludes: '<Response' }),
  },
  {
    id: 'studio-json',
    label: 'Studio JSON',
    body: () => presetRequestBody('studio-json'),
    token: (senderToken) => senderToken,
    expect: (platform) =>
      platform.expectsJson === 200
        ? { status: 200, contentType: 'application/json', bodyIncludes: '"reply"' }
        : { status: platform.expectsJson },
  },
];

/**
 * @param {Platform} platform
 * @param {string} url
 * @param {DemoRequest} request
 * @param {string} senderToken
 * @returns {Promise<ResultRow>}
 */
export async function sendAndJudge(platform, url, request, senderToken) {
  const expected = request.expect(platform);
  const row = { platform: platform.id, request: request.label, expected };
  try {
    const result = await sendTwilioWebhook({
      url,
      authToken: request.token(senderToken),
      ...request.body(),
      fetch: (input, init) => fetch(input, { ...init, signal: AbortSignal.timeout(15_000) }),
    });
    const contentType = result.headers['content-type'] ?? '';
    const ok =
      result.status === expected.status &&
      (expected.contentType === undefined || contentType.startsWith(expected.contentType)) &&
      (expected.bodyIncludes === undefined || result.body.includes(expected.bodyIncludes)) &&
      (expected.bodyExcludes === undefined || !result.body.includes(expected.bodyExcludes));
    return { ...row, status: result.status, contentType, body: result.body, ok };
  } catch (error) {
    // fetch fails with a TypeError whose cause (a system error) says why; anything else is described as it is.
    const failure = /** @type {{ message?: unknown, cause?: { code?: unknown, message?: unknown } } | null | undefined} */ (error);
    const cause = failure?.cause?.code ?? failure?.cause?.message ?? failure?.message ?? String(error);
    return { ...row, status: undefined, contentType: '', body: '', ok: false, error: `no answer: ${cause}` };
  }
}

/**
 * A row for a platform whose runtime never became ready.
 * @param {Platform} platform
 * @param {DemoRequest} request
 * @returns {ResultRow}
 */
export function notStartedRow(platform, request) {
  return {
    platform: platform.id,
    request: request.label,
    expected: request.expect(platform),
    status: undefined,
    contentType: '',
    body: '',
    ok: false,
    error: 'runtime did not start',
  };
}

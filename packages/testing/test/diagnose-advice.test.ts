/** What `twiml-guard diagnose` tells the operator to change: exact wording, since operators act on it. */
import {
  diagnoseRequest,
  formatDiagnosis,
  nearMissCandidates,
  signTwilioRequest,
  smsPreset,
  type CapturedRequest,
} from '@twiml-guard/testing';

const TOKEN = 'advice-token-0123456789abcdef0123';

function capture(signedUrl: string, receivedUrl: string): CapturedRequest {
  const signed = signTwilioRequest({ url: signedUrl, authToken: TOKEN, params: smsPreset() });
  return { url: receivedUrl, method: signed.method, headers: signed.headers, body: signed.body };
}

function adviceFor(signedUrl: string, receivedUrl: string, tokens = [TOKEN]): string[] {
  const diagnosis = diagnoseRequest(capture(signedUrl, receivedUrl), { authTokens: tokens });
  expect(diagnosis.valid).toBe(false);
  return formatDiagnosis(diagnosis, tokens.length, receivedUrl);
}

it('Twilio configured with http, function on https: change the URL in the Twilio console to https', () => {
  expect(adviceFor('http://example.com/sms', 'https://example.com/sms')).toContain(
    '  The webhook URL in the Twilio console is http://: change it in the Twilio console to https (https://example.com/sms).',
  );
});

it('signed for localhost, received on 127.0.0.1: names both hosts', () => {
  const lines = adviceFor('http://localhost:3000/sms', 'http://127.0.0.1:3000/sms');
  expect(lines).toContain('  that is the captured URL with the host "localhost" instead of "127.0.0.1".');
  expect(lines).toContain(
    '  The request was signed for the host "localhost" but received on "127.0.0.1": send it to the host the function validates, or set the `url` or `baseUrl` option (PUBLIC_BASE_URL) to use "localhost".',
  );
});

it('the loopback names are tried only for a loopback host', () => {
  expect(
    nearMissCandidates('https://example.com/sms').some((candidate) =>
      candidate.changes.some((change) => change.startsWith('with the host')),
    ),
  ).toBe(false);
  expect(nearMissCandidates('http://[::1]:8080/sms').map((candidate) => candidate.url)).toEqual(
    expect.arrayContaining(['http://localhost:8080/sms', 'http://127.0.0.1:8080/sms']),
  );
});

it('an unknown stage: no near miss, and --prefix is suggested with the prefixes tried', () => {
  const lines = adviceFor(
    'https://abc.execute-api.us-east-1.amazonaws.com/live/sms',
    'https://abc.execute-api.us-east-1.amazonaws.com/sms',
  );
  expect(lines).toContain(
    'The host was kept as "abc.execute-api.us-east-1.amazonaws.com": a request sent to another name for it (localhost, 127.0.0.1, a tunnel\'s host) is signed for that name; give the URL the sender used.',
  );
  expect(lines).toContain(
    'If Twilio calls a stage or base path that was not tried (tried: /api, /prod, /dev, /default, /stage, /staging, /v1), name it: add --prefix <stage>, e.g. --prefix v2.',
  );
  // ... and following the advice finds it.
  const withPrefix = diagnoseRequest(
    capture('https://abc.execute-api.us-east-1.amazonaws.com/live/sms', 'https://abc.execute-api.us-east-1.amazonaws.com/sms'),
    { authTokens: [TOKEN], pathPrefixes: ['live'] },
  );
  expect(withPrefix.nearMiss?.changes).toEqual(['with a "/live" path prefix']);
});

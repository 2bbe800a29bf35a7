import { randomBytes } from 'node:crypto';
import { sendTwilioWebhook, smsPreset } from '@twiml-guard/testing';
import { startServer, TWIML, type Answer, type LocalServer, type ReceivedRequest } from './local-server.js';
import { authParams, decodeForm, expectedDigestResponse, twilioAccepts } from './oracle.js';

const TOKEN = randomBytes(16).toString('hex');
const USER = 'twilio';
const PASSWORD = 'p@ss:word';
const URL_PASSWORD = 'p%40ss%3Aword';

let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const twimlOk = { status: 200, headers: { 'content-type': 'text/xml; charset=utf-8' }, body: TWIML };
const forbidden = { status: 403, headers: { 'content-type': 'text/plain' }, body: 'Twilio Request Validation Failed.' };

describe('sendTwilioWebhook', () => {
  it('sends a form POST that twilio validates on the server and returns the TwiML', async () => {
    server = await startServer((request, base) => (twilioAccepts(request, base, TOKEN) ? twimlOk : forbidden));
    const params = smsPreset({ Body: 'Hello wörld + more' });
    const result = await sendTwilioWebhook({ url: `${server.base}/sms?tenant=a`, params, authToken: TOKEN });

    expect(result.status).toBe(200);
    expect(result.body).toBe(TWIML);
    expect(result.headers['content-type']).toBe('text/xml; charset=utf-8');
    expect(result.attempts).toBe(1);
    const [received] = server.requests;
    expect(received?.method).toBe('POST');
    expect(received?.target).toBe('/sms?tenant=a');
    expect(received?.headers).toMatchObject({
      'user-agent': 'TwilioProxy/1.1',
      accept: '*/*',
      'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
      'i-twilio-idempotency-token': result.request.headers['I-Twilio-Idempotency-Token'],
    });
    expect(decodeForm(received?.body.toString('utf8') ?? '')).toEqual(params);
  });

  it('gets 403 from the same server when signed with another token', async () => {
    server = await startServer((request, base) => (twilioAccepts(request, base, TOKEN) ? twimlOk : forbidden));
    const result = await sendTwilioWebhook({ url: `${server.base}/sms`, params: smsPreset(), authToken: 'wrong-token' });
    expect(result.status).toBe(403);
  });

  it('sends GET params in the query and no body', async () => {
    server = await startServer((request, base) => (twilioAccepts(request, base, TOKEN) ? twimlOk : forbidden));
    const result = await sendTwilioWebhook({
      url: `${server.base}/voice`,
      method: 'GET',
      params: { CallSid: 'CA1', Digits: '1 2' },
      authToken: TOKEN,
    });
    expect(result.status).toBe(200);
    expect(server.requests[0]?.target).toBe('/voice?CallSid=CA1&Digits=1+2');
    expect(server.requests[0]?.body.length).toBe(0);
  });

  it('sends JSON with bodySHA256 that validateRequestWithBody accepts', async () => {
    server = await startServer((request, base) => (twilioAccepts(request, base, TOKEN) ? twimlOk : forbidden));
    const text = '{"flow":"FW1", "note":"spaces kept"}';
    const result = await sendTwilioWebhook({ url: `${server.base}/studio`, json: text, authToken: TOKEN });
    expect(result.status).toBe(200);
    expect(server.requests[0]?.body.toString('utf8')).toBe(text);
    expect(server.requests[0]?.headers['content-type']).toBe('application/json');
  });

  it('returns a 401 as it is when the URL has no credentials', async () => {
    server = await startServer(() => ({ status: 401, headers: { 'www-authenticate': 'Basic realm="x"' } }));
    const result = await sendTwilioWebhook({ url: `${server.base}/sms`, authToken: TOKEN });
    expect(result.status).toBe(401);
    expect(result.attempts).toBe(1);
    expect(server.requests).toHaveLength(1);
  });
});

describe('sendTwilioWebhook: Basic auth dance', () => {
  const expectedAuthorization = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;
  const basicServer = (request: ReceivedRequest, base: string): Answer => {
    if (request.headers.authorization !== expectedAuthorization)
      return { status: 401, headers: { 'www-authenticate': 'Basic realm="twilio", charset="UTF-8"' }, body: 'auth' };
    return twilioAccepts(request, base, TOKEN) ? twimlOk : forbidden;
  };

  it('first sends no Authorization, then answers the challenge; the signed URL has no credentials', async () => {
    server = await startServer(basicServer);
    const url = `http://${USER}:${URL_PASSWORD}@127.0.0.1:${server.port}/sms`;
    const result = await sendTwilioWebhook({ url, params: smsPreset(), authToken: TOKEN });

    expect(result.status).toBe(200);
    expect(result.body).toBe(TWIML);
    expect(result.attempts).toBe(2);
    const [first, second] = server.requests;
    expect(server.requests).toHaveLength(2);
    expect(first?.headers.authorization).toBeUndefined();
    expect(second?.headers.authorization).toBe(expectedAuthorization);
    // Both carry the same signature over the credential-free URL, and the same idempotency token.
    expect(result.request.url).toBe(`${server.base}/sms`);
    expect(twilioAccepts(first as ReceivedRequest, server.base, TOKEN)).toBe(true);
    expect(first?.headers['x-twilio-signature']).toBe(second?.headers['x-twilio-signature']);
    expect(first?.headers['i-twilio-idempotency-token']).toBe(second?.headers['i-twilio-idempotency-token']);
    expect(result.request.headers.Authorization).toBe(expectedAuthorization);
  });

  it('stops after one retry when the credentials are refused', async () => {
    server = await startServer(basicServer);
    const result = await sendTwilioWebhook({
      url: `http://${USER}:wrong@127.0.0.1:${server.port}/sms`,
      params: smsPreset(),
      authToken: TOKEN,
    });
    expect(result.status).toBe(401);
    expect(result.attempts).toBe(2);
    expect(server.requests).toHaveLength(2);
  });
});

describe('sendTwilioWebhook: Digest auth dance', () => {
  const REALM = 'twilio-webhooks@example.test';
  const OPAQUE = 'opaque-value/with+chars';

  /** A Digest server: challenges, then checks the response against one computed from scratch. */
  function digestServer(algorithm: 'MD5' | 'SHA-256' | 'SHA-256-sess', nonces: string[], staleFirst = false) {
    let issued = 0;
    const challenge = (stale: boolean) => {
      const nonce = nonces[Math.min(issued++, nonces.length - 1)] as string;
      return {
        status: 401,
        headers: {
          'www-authenticate': `Digest realm="${REALM}", qop="auth, auth-int", algorithm=${algorithm}, nonce="${nonce}", opaque="${OPAQUE}"${stale ? ', stale=true' : ''}`,
        },
        body: 'auth',
      };
    };
    let rejectedStale = false;
    return (request: ReceivedRequest, base: string): Answer => {
      const header = request.headers.authorization;
      if (!header) return challenge(false);
      const sent = authParams(header);
      if (staleFirst && !rejectedStale) {
        rejectedStale = true;
        return challenge(true);
      }
      const nonce = nonces[issued - 1] as string;
      const expected = expectedDigestResponse({
        algorithm: algorithm.startsWith('SHA-256') ? 'sha256' : 'md5',
        session: algorithm.endsWith('-sess'),
        username: USER,
        password: PASSWORD,
        realm: REALM,
        nonce,
        nc: '00000001',
        cnonce: sent.cnonce ?? '',
        method: request.method,
        uri: request.target,
      });
      const ok =
        header.startsWith('Digest ') &&
        sent.username === USER &&
        sent.realm === REALM &&
        sent.nonce === nonce &&
        sent.uri === request.target &&
        sent.qop === 'auth' &&
        sent.nc === '00000001' &&
        sent.opaque === OPAQUE &&
        sent.algorithm === algorithm &&
        sent.response === expected;
      if (!ok) return { status: 401, body: 'bad digest' };
      return twilioAccepts(request, base, TOKEN) ? twimlOk : forbidden;
    };
  }

  it.each(['MD5', 'SHA-256', 'SHA-256-sess'] as const)(
    'answers a %s challenge with a response the server computes independently',
    async (algorithm) => {
      server = await startServer(digestServer(algorithm, ['nonce-1/abc=']));
      const result = await sendTwilioWebhook({
        url: `http://${USER}:${URL_PASSWORD}@127.0.0.1:${server.port}/voice?x=1`,
        params: { CallSid: 'CA1' },
        authToken: TOKEN,
      });
      expect(result.status).toBe(200);
      expect(result.attempts).toBe(2);
      expect(server.requests[0]?.headers.authorization).toBeUndefined();
      expect(server.requests[1]?.headers.authorization).toMatch(/^Digest /);
      expect(server.requests[1]?.target).toBe('/voice?x=1');
    },
  );

  it('retries once more with the new nonce when the server says the nonce is stale', async () => {
    server = await startServer(digestServer('SHA-256', ['nonce-1', 'nonce-2'], true));
    const result = await sendTwilioWebhook({
      url: `http://${USER}:${URL_PASSWORD}@127.0.0.1:${server.port}/voice`,
      params: { CallSid: 'CA1' },
      authToken: TOKEN,
    });
    expect(result.status).toBe(200);
    expect(result.attempts).toBe(3);
    expect(authParams(server.requests[2]?.headers.authorization ?? '').nonce).toBe('nonce-2');
  });

  it('prefers Digest when the server offers Basic too', async () => {
    const digest = digestServer('MD5', ['n1']);
    server = await startServer((request, base) => {
      const answer = digest(request, base);
      if (answer.status === 401 && !request.headers.authorization) {
        return { ...answer, headers: { 'www-authenticate': `Basic realm="x", ${answer.headers?.['www-authenticate']}` } };
      }
      return answer;
    });
    const result = await sendTwilioWebhook({ url: `http://${USER}:${URL_PASSWORD}@127.0.0.1:${server.port}/voice`, authToken: TOKEN });
    expect(result.status).toBe(200);
    expect(server.requests[1]?.headers.authorization).toMatch(/^Digest /);
  });
});

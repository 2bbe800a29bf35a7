/** `twilioWorker`: a Workers module whose token and public URL come from the bindings (`env`), not `process.env`. */
import { twilioWorker, type TwilioWorkerEnv } from '@twiml-guard/fetch';
import { AUTH_TOKEN, FORM, capturingLogger, form, messagingTwiml, sign, smsParams } from './helpers';

const URL = 'https://sms.example.workers.dev/sms';
const OTHER_TOKEN = 'abcdefabcdefabcdefabcdefabcdef12';

const postForm = (url: string, params: Record<string, string>, signature?: string) =>
  new Request(url, {
    method: 'POST',
    headers: { 'content-type': FORM, ...(signature ? { 'x-twilio-signature': signature } : {}) },
    body: form(params),
  });

interface Env extends TwilioWorkerEnv {
  readonly GREETING?: string;
}

describe('twilioWorker(handler)', () => {
  const logger = capturingLogger();
  const worker = twilioWorker<Env>((event, _request, env) => messagingTwiml(`${env.GREETING ?? 'hi'}: ${String(event.params.Body)}`), {
    logger,
  });
  const params = smsParams();

  beforeEach(() => logger.entries.splice(0));

  it('answers a request signed with the TWILIO_AUTH_TOKEN secret, handing the handler its env', async () => {
    const response = await worker.fetch(postForm(URL, params, sign(URL, params)), { TWILIO_AUTH_TOKEN: AUTH_TOKEN, GREETING: 'hello' });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(messagingTwiml(`hello: ${params.Body}`));
  });

  it('refuses forged (403) and unsigned (400) requests', async () => {
    const env = { TWILIO_AUTH_TOKEN: AUTH_TOKEN };
    expect((await worker.fetch(postForm(URL, params, sign(URL, params, OTHER_TOKEN)), env)).status).toBe(403);
    expect((await worker.fetch(postForm(URL, params), env)).status).toBe(400);
  });

  it('accepts the pending token during a rotation, and comma-separated tokens', async () => {
    const signedByOther = postForm(URL, params, sign(URL, params, OTHER_TOKEN));
    expect(
      (await worker.fetch(signedByOther.clone(), { TWILIO_AUTH_TOKEN: AUTH_TOKEN, TWILIO_AUTH_TOKEN_PENDING: OTHER_TOKEN })).status,
    ).toBe(200);
    expect((await worker.fetch(signedByOther, { TWILIO_AUTH_TOKEN: `${AUTH_TOKEN}, ${OTHER_TOKEN}` })).status).toBe(200);
  });

  it('answers 500 with a log line, never a throw, when the token secret is missing', async () => {
    const response = await worker.fetch(postForm(URL, params, sign(URL, params)), {});
    expect(response.status).toBe(500);
    expect(JSON.stringify(logger.entries)).toContain('TWILIO_AUTH_TOKEN is not set');
  });

  it('validates against PUBLIC_BASE_URL + path when the Worker sits behind another host', async () => {
    const publicUrl = 'https://twilio.example.com/sms';
    const response = await worker.fetch(postForm(URL, params, sign(publicUrl, params)), {
      TWILIO_AUTH_TOKEN: AUTH_TOKEN,
      PUBLIC_BASE_URL: 'https://twilio.example.com',
    });
    expect(response.status).toBe(200);
  });

  it('lets options, or a function of env returning them, win over the bindings', async () => {
    const configured = twilioWorker<Env>(
      () => '<Response/>',
      (env) => ({ url: `https://${env.GREETING}.example.com/hook`, logger }),
    );
    const response = await configured.fetch(postForm(URL, params, sign('https://fixed.example.com/hook', params)), {
      TWILIO_AUTH_TOKEN: AUTH_TOKEN,
      GREETING: 'fixed',
    });
    expect(response.status).toBe(200);
  });
});

/**
 * Bodies the web build must hash and read exactly as the Node build does, in real runtimes: a large
 * signed JSON body (bodySHA256 over ~60 KB of multi-byte text) and bodies with bytes that are not
 * UTF-8. Each runtime's status is held to the Node build's status for the same request.
 */
import { twilioWebhook } from '@twiml-guard/fetch';
import { signedFormRequest, signedJsonRequest, smsParams } from '@twiml-guard/test-support/signed-request';
import { startBun, startEdgeRuntime, type RunningApp } from '../support/servers';
import { appConfig } from '../support/webhook-cases';

jest.setTimeout(120_000);

type Sendable = { method: string; url: string; headers: Record<string, unknown>; body: string | Uint8Array };

function toRequest(request: Sendable, url = request.url): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) if (typeof value === 'string') headers.set(name, value);
  return new Request(url, { method: request.method, headers, body: request.body as BodyInit });
}

describe.each([
  ['bun', startBun],
  ['edge-runtime', startEdgeRuntime],
] as const)('body bytes on %s', (_name, start) => {
  const config = appConfig();
  let app: RunningApp;
  beforeAll(async () => {
    app = await start(config);
  });
  afterAll(() => app?.stop());

  /** The same request to the runtime and to the Node build (this process), path for path. */
  async function statuses(path: string, make: (url: string) => Sendable): Promise<{ runtime: number; node: number }> {
    const request = make(`${app.url}${path}`);
    const runtime = (await fetch(toRequest(request))).status;
    const node = (await twilioWebhook(() => 'ok', { authToken: config.token })(toRequest(request))).status;
    return { runtime, node };
  }

  test('a signed 60 KB JSON body of multi-byte text: 200, and one changed byte: 403', async () => {
    const json = JSON.stringify({ Body: 'ü€😀'.repeat(6000) });
    expect(await statuses('/json', (url) => signedJsonRequest({ token: config.token, url, json }))).toEqual({ runtime: 200, node: 200 });
    const tampered = json.replace('😀', '😁');
    expect(await statuses('/json', (url) => signedJsonRequest({ token: config.token, url, json, body: tampered }))).toEqual({
      runtime: 403,
      node: 403,
    });
  });

  test('a JSON body with bytes that are not UTF-8, hashed and signed as sent: 400 everywhere', async () => {
    const bytes = Uint8Array.from([0x7b, 0x22, 0x42, 0x22, 0x3a, 0x22, 0xff, 0xc3, 0x28, 0x22, 0x7d]);
    const { createHash } = await import('node:crypto');
    const twilio = (await import('twilio')).default;
    const result = await statuses('/json', (base) => {
      const url = `${base}?bodySHA256=${createHash('sha256').update(bytes).digest('hex')}`;
      return {
        method: 'POST',
        url,
        headers: { 'content-type': 'application/json', 'x-twilio-signature': twilio.getExpectedTwilioSignature(config.token, url, {}) },
        body: bytes,
      };
    });
    expect(result).toEqual({ runtime: 400, node: 400 });
  });

  test('a form body with a raw 0xFF byte: 400 on the runtime as on the Node build', async () => {
    const result = await statuses('/form', (url) => {
      const request = signedFormRequest({ token: config.token, url, params: smsParams({ Body: '\ufffd' }) });
      // The signed Body is U+FFFD; the wire carries the one raw byte 0xFF where its percent-encoding was.
      const [before, after] = String(request.body).split('%EF%BF%BD') as [string, string];
      const body = new Uint8Array([...new TextEncoder().encode(before), 0xff, ...new TextEncoder().encode(after)]);
      return { ...request, body } as Sendable;
    });
    // A form body that is not UTF-8 is refused before any HMAC, on the web build as on Node.
    expect(result).toEqual({ runtime: 400, node: 400 });
  });
});

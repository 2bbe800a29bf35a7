/**
 * `npm run package:infra`: the zips infra/ deploys exist, hold what each platform unpacks, and the
 * Lambda webhook inside answers a Twilio-signed request (and refuses a forged one) when loaded as
 * Lambda loads it.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import twilio from 'twilio';
import yauzl from 'yauzl';

const root = join(__dirname, '..', '..');
// Inside the repository, so the bundles' external requires resolve to its node_modules.
const scratch = join(root, 'node_modules', '.cache');
mkdirSync(scratch, { recursive: true });
const dir = mkdtempSync(join(scratch, 'package-infra-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function readZip(path: string): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return reject(error);
      const files = new Map<string, Buffer>();
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError || !stream) return reject(streamError);
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('end', () => {
            files.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(files));
      zip.readEntry();
    });
  });
}

let zips: Map<string, Map<string, Buffer>>;
beforeAll(async () => {
  const output = execFileSync(process.execPath, [join(root, 'scripts/package-infra.mjs')], { encoding: 'utf8' });
  const names = [...output.matchAll(/wrote dist\/(\S+)/g)].map((match) => match[1] as string);
  zips = new Map(await Promise.all(names.map(async (name) => [name, await readZip(join(root, 'dist', name))] as const)));
}, 120_000);

test('every zip the Terraform and CloudFormation defaults name is built, with the files its platform expects', () => {
  expect([...zips.keys()].sort()).toEqual([
    'azure-rotation.zip',
    'gcp-rotation.zip',
    'gcp-webhook.zip',
    'rotation.zip',
    'sms-auto-reply.zip',
  ]);
  expect([...(zips.get('sms-auto-reply.zip')?.keys() ?? [])]).toEqual(['index.js']);
  expect([...(zips.get('rotation.zip')?.keys() ?? [])]).toEqual(['rotation.js']);
  for (const name of ['gcp-webhook.zip', 'gcp-rotation.zip', 'azure-rotation.zip']) {
    const manifest = JSON.parse(zips.get(name)?.get('package.json')?.toString('utf8') ?? '{}') as {
      main?: string;
      dependencies?: Record<string, string>;
    };
    expect(manifest.main).toBe('index.js');
    expect(zips.get(name)?.has('index.js')).toBe(true);
    expect(Object.keys(manifest.dependencies ?? {}).length).toBeGreaterThan(0);
  }
  expect(zips.get('azure-rotation.zip')?.has('host.json')).toBe(true);
});

test('the webhook bundle leaves twilio out; the rotation bundles carry it', () => {
  const text = (zip: string, file: string) => zips.get(zip)?.get(file)?.toString('utf8') ?? '';
  expect(text('sms-auto-reply.zip', 'index.js')).not.toMatch(/require\("twilio"\)|AccountContext/);
  expect(text('rotation.zip', 'rotation.js').length).toBeGreaterThan(1_000_000);
});

test('the Lambda webhook answers a signed request with TwiML and refuses a forged one', async () => {
  const file = join(dir, 'index.js');
  writeFileSync(file, zips.get('sms-auto-reply.zip')?.get('index.js') ?? '');
  const token = '0123456789abcdef0123456789abcdef';
  const saved = { ...process.env };
  process.env.TWILIO_AUTH_TOKEN = token;
  delete process.env.TWILIO_AUTH_TOKEN_SECRET_ID;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { handler } = require(file) as { handler: (event: unknown, context: unknown) => Promise<{ statusCode: number; body: string }> };
    const params = { AccountSid: 'AC0123456789abcdef0123456789abcdef', From: '+15551234567', To: '+15557654321', Body: 'hi' };
    const body = new URLSearchParams(params).toString();
    const event = (signature: string) => ({
      version: '2.0',
      rawPath: '/sms',
      rawQueryString: '',
      headers: {
        host: 'abc123.execute-api.us-east-1.amazonaws.com',
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': signature,
      },
      requestContext: {
        domainName: 'abc123.execute-api.us-east-1.amazonaws.com',
        stage: '$default',
        http: { method: 'POST', path: '/sms' },
      },
      body: Buffer.from(body).toString('base64'),
      isBase64Encoded: true,
    });
    const signed = await handler(
      event(twilio.getExpectedTwilioSignature(token, 'https://abc123.execute-api.us-east-1.amazonaws.com/sms', params)),
      {},
    );
    expect(signed.statusCode).toBe(200);
    expect(signed.body).toContain('<Message>Thanks! We got your message: hi</Message>');
    const forged = await handler(
      event(
        twilio.getExpectedTwilioSignature(
          'ffffffffffffffffffffffffffffffff',
          'https://abc123.execute-api.us-east-1.amazonaws.com/sms',
          params,
        ),
      ),
      {},
    );
    expect(forged.statusCode).toBe(403);
  } finally {
    process.env = saved;
  }
});

test('the rotation bundles load in a fresh Node process and export their handlers', () => {
  for (const [zip, file, check] of [
    ['rotation.zip', 'rotation.js', "typeof require(f).handler === 'function'"],
    [
      'gcp-rotation.zip',
      'index.js',
      "require(f), require('@google-cloud/functions-framework/testing').getFunction('rotateTwilioAuthToken') !== undefined",
    ],
    [
      'gcp-webhook.zip',
      'index.js',
      "require(f), require('@google-cloud/functions-framework/testing').getFunction('smsAutoReply') !== undefined",
    ],
  ] as const) {
    const path = join(dir, `${zip}-${file}`);
    writeFileSync(path, zips.get(zip)?.get(file) ?? '');
    const printed = execFileSync(process.execPath, ['-e', `const f = ${JSON.stringify(path)}; console.log(String((${check})))`], {
      encoding: 'utf8',
      cwd: root,
    });
    expect(printed.trim()).toBe('true');
  }
});

/**
 * The Middy middleware inside real @middy/core 6 (ESM-only): a child `node` process imports it and
 * the BUILT package (dist/index.mjs, made by `node scripts/build.mjs`, which `npm test` runs first).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES, SMS_PARAMS, type Fixture } from '@twiml-guard/test-support/platforms/lambda-events';
import { AUTH_TOKEN, OTHER_TOKEN, signedEvent } from '@twiml-guard/test-support/platforms/lambda-sign';

const root = join(__dirname, '../../..');
const script = join(__dirname, 'middy/run-middy.mjs');
const v2 = FIXTURES.find((f) => f.name.startsWith('9 ')) as Fixture;
const alb = FIXTURES.find((f) => f.name.startsWith('19')) as Fixture;

interface MiddyResult {
  name: string;
  response: Record<string, unknown>;
  handlerSaw: { bodyType: string; twilioParams?: Record<string, unknown>; twilioUrl?: string } | null;
}

let results: Record<string, MiddyResult>;
let stderr: string;

beforeAll(() => {
  if (!existsSync(join(root, 'packages/aws-lambda/dist/index.mjs')))
    execFileSync(process.execPath, [join(root, 'scripts/build.mjs')], { cwd: root, stdio: 'ignore' });
  const cases = [
    { name: 'valid', event: signedEvent(v2), authToken: AUTH_TOKEN },
    { name: 'forged', event: signedEvent(v2, OTHER_TOKEN), authToken: AUTH_TOKEN },
    { name: 'alb-forged', event: signedEvent(alb, OTHER_TOKEN), authToken: AUTH_TOKEN },
    { name: 'parser-first', event: signedEvent(v2), authToken: AUTH_TOKEN, parserFirst: true },
    { name: 'unknown-event', event: { Records: [] }, authToken: AUTH_TOKEN },
  ];
  const child = spawnSync(process.execPath, [script], { cwd: root, input: JSON.stringify({ cases }), encoding: 'utf8', timeout: 20_000 });
  if (child.status !== 0) throw new Error(`middy script failed: ${child.stderr}`);
  stderr = child.stderr;
  results = Object.fromEntries((JSON.parse(child.stdout) as MiddyResult[]).map((result) => [result.name, result]));
});

test('signed request: handler runs with context.twilio set; a body parser registered after us still works', () => {
  const valid = results.valid as MiddyResult;
  expect(valid.response.statusCode).toBe(200);
  expect(valid.handlerSaw).toEqual({ bodyType: 'object', twilioParams: SMS_PARAMS, twilioUrl: v2.trueUrl });
});

test('forged request: before() returns the 403 and the handler never runs', () => {
  const forged = results.forged as MiddyResult;
  expect(forged.response).toEqual({
    statusCode: 403,
    headers: { 'content-type': 'text/plain; charset=utf-8' },
    body: 'Twilio Request Validation Failed.',
    isBase64Encoded: false,
  });
  expect(forged.handlerSaw).toBeNull();
});

test('ALB event: the early response is ALB-shaped (statusDescription, multiValueHeaders)', () => {
  const response = (results['alb-forged'] as MiddyResult).response;
  expect(response).toEqual(
    expect.objectContaining({
      statusCode: 403,
      statusDescription: '403 Forbidden',
      multiValueHeaders: { 'content-type': ['text/plain; charset=utf-8'] },
    }),
  );
});

test('a body parser registered before us: refused (500) with a log line saying to reorder, never validated from a re-serialised body', () => {
  const refused = results['parser-first'] as MiddyResult;
  expect(refused.response.statusCode).toBe(500);
  expect(refused.handlerSaw).toBeNull();
  expect(stderr).toMatch(/register twilioSignature\(\) before any body parser/);
});

test('an event of no known shape: 400', () => {
  expect((results['unknown-event'] as MiddyResult).response.statusCode).toBe(400);
});

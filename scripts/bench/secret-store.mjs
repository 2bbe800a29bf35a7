// Secret-store calls: the AWS adapter's secretsManagerTokens through the real AWS SDK
// (@aws-sdk/client-secrets-manager) against a local Secrets Manager fake that counts GetSecretValue
// calls, for 1,000 warm invocations and for 50 concurrent cold ones. Baseline: the common way, a
// module-level `if (!token) token = (await client.send(GetSecretValue)).SecretString` + twilio.validateRequest.
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { secretsManagerTokens, twilioWebhook } from '@twiml-guard/aws-lambda';
import { pathToFileURL } from 'node:url';
import twilio from 'twilio';
import { EXECUTE_API_HOST, httpApiEvent } from './lib/lambda-event.mjs';
import { startSecretsManagerFake } from './lib/secrets-manager-fake.mjs';
import { AUTH_TOKEN, silentLogger } from './lib/webhook-fixture.mjs';

const SECRET_ID = 'twilio/auth-token';
const TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response><Message>Thanks!</Message></Response>';

/** @typedef {import('@aws-sdk/client-secrets-manager').SecretsManagerClientConfig} ClientConfig */
/** @typedef {ReturnType<typeof httpApiEvent>} HttpApiEvent */

/**
 * A Lambda function instance: its handler, and how to let its SDK client go.
 * @typedef {{ handler(event: HttpApiEvent): Promise<{ statusCode?: number }>, destroy(): void }} LambdaInstance
 */

/**
 * @param {ClientConfig} clientConfig
 * @returns {LambdaInstance}
 */
function guardedLambda(clientConfig) {
  const client = new SecretsManagerClient(clientConfig);
  const handler = twilioWebhook(() => TWIML, { authToken: secretsManagerTokens({ secretId: SECRET_ID, client }), logger: silentLogger });
  return { handler, destroy: () => client.destroy() };
}

/**
 * @param {ClientConfig} clientConfig
 * @returns {LambdaInstance}
 */
function commonWayLambda(clientConfig) {
  const client = new SecretsManagerClient(clientConfig);
  /** @type {string | undefined} */
  let token;
  const handler = async (/** @type {HttpApiEvent} */ event) => {
    if (!token) token = (await client.send(new GetSecretValueCommand({ SecretId: SECRET_ID }))).SecretString;
    const params = Object.fromEntries(new URLSearchParams(Buffer.from(event.body, 'base64').toString('utf8')));
    const valid = twilio.validateRequest(
      token ?? '',
      event.headers['x-twilio-signature'],
      `https://${EXECUTE_API_HOST}${event.rawPath}`,
      params,
    );
    return valid ? { statusCode: 200, headers: { 'content-type': 'text/xml' }, body: TWIML } : { statusCode: 403, body: 'Forbidden' };
  };
  return { handler, destroy: () => client.destroy() };
}

/**
 * @param {Array<{ statusCode?: number }>} results
 * @param {string} label
 */
function expectAllOk(results, label) {
  const failed = results.filter((result) => result.statusCode !== 200);
  if (failed.length)
    throw new Error(`${label}: ${failed.length} of ${results.length} invocations answered ${failed[0]?.statusCode}: the bench is wrong`);
}

/**
 * Store calls for one cold invocation then `warm` sequential ones, and for `concurrent` simultaneous cold ones.
 * @param {(clientConfig: ClientConfig) => LambdaInstance} makeLambda
 * @param {Awaited<ReturnType<typeof startSecretsManagerFake>>} fake
 * @param {{ warm: number, concurrent: number }} counts
 */
async function measure(makeLambda, fake, { warm, concurrent }) {
  const event = httpApiEvent();
  fake.calls.length = 0;
  let lambda = makeLambda(fake.clientConfig);
  expectAllOk([await lambda.handler(event)], 'cold');
  const coldCalls = fake.calls.length;
  /** @type {Array<{ statusCode?: number }>} */
  const warmResults = [];
  for (let i = 0; i < warm; i++) warmResults.push(await lambda.handler(event));
  expectAllOk(warmResults, 'warm');
  const warmCalls = fake.calls.length - coldCalls;
  lambda.destroy();

  fake.calls.length = 0;
  lambda = makeLambda(fake.clientConfig);
  expectAllOk(await Promise.all(Array.from({ length: concurrent }, () => lambda.handler(event))), 'concurrent cold');
  const concurrentCalls = fake.calls.length;
  /** @type {Record<string, number>} */
  const perStage = {};
  for (const call of fake.calls) perStage[call.stage] = (perStage[call.stage] ?? 0) + 1;
  lambda.destroy();
  return { coldCalls, warmCalls, concurrentCalls, perStage };
}

const describeStages = (/** @type {Record<string, number>} */ perStage) =>
  Object.entries(perStage)
    .map(([stage, count]) => `${stage} ${count}`)
    .join(', ');

/**
 * @param {{ warm?: number, concurrent?: number }} [options]
 * @returns {Promise<import('./lib/table.mjs').Section>}
 */
export async function run({ warm = 1000, concurrent = 50 } = {}) {
  const fake = await startSecretsManagerFake({ [SECRET_ID]: { AWSCURRENT: AUTH_TOKEN } });
  try {
    const ours = await measure(guardedLambda, fake, { warm, concurrent });
    const theirs = await measure(commonWayLambda, fake, { warm, concurrent });
    const maxPerStage = Math.max(...Object.values(ours.perStage));
    return {
      title: 'Secret-store calls (Secrets Manager through the real AWS SDK, local fake counting calls)',
      baselineLabel: 'common way (module-level token variable)',
      rows: [
        {
          metric: 'first (cold) invocation: GetSecretValue calls',
          twimlGuard: String(ours.coldCalls),
          baseline: String(theirs.coldCalls),
          note: 'twiml-guard reads AWSCURRENT and AWSPENDING (rotation)',
        },
        {
          metric: `${warm.toLocaleString('en-US')} warm invocations after it: calls`,
          twimlGuard: String(ours.warmCalls),
          baseline: String(theirs.warmCalls),
          target: '0',
          met: ours.warmCalls === 0,
        },
        {
          metric: `${concurrent} concurrent cold invocations: calls`,
          twimlGuard: `${ours.concurrentCalls} (${describeStages(ours.perStage)})`,
          baseline: String(theirs.concurrentCalls),
          target: '1 per stage',
          met: maxPerStage === 1,
        },
      ],
      notes: [
        `All ${1 + warm} + ${concurrent} invocations answered 200 on both sides. Measured in one process, as on platforms where one instance serves concurrent requests (Azure Functions, Cloud Functions gen2, Cloud Run); on Lambda each concurrent cold start is its own execution environment, which loads the secret once either way.`,
        'One secret load = one GetSecretValue per staging label: AWSCURRENT and AWSPENDING (absent = no rotation, answered ResourceNotFoundException).',
      ],
    };
  } finally {
    await fake.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { formatText } = await import('./lib/table.mjs');
  console.log(formatText(await run()));
}

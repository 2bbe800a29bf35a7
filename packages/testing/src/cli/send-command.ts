/** `twiml-guard send <url>`: sign a webhook like Twilio, send it, print what came back. */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { isPresetName, presetPayload, PRESET_NAMES } from '../presets.js';
import { sendTwilioWebhook, type SendTwilioWebhookOptions } from '../send-webhook.js';
import { signTwilioRequest, type SignedTwilioRequest } from '../sign-request.js';
import { splitUrlCredentials } from '../url-parts.js';
import { all, parseArgs, single, splitPair, UsageError } from './args.js';
import { describeRequest } from './curl-command.js';
import { collectParams } from './form-params.js';
import { CliFailure, DEFAULT_TOKEN_ENV, readToken, type CliIo } from './io.js';

export const SEND_HELP = `Usage: twiml-guard send <url> [options]

Signs a webhook request exactly as Twilio does and sends it; prints the status, the response
headers and the body (your TwiML). Exits 1 unless the answer is 2xx.

Options:
  --preset NAME         payload preset: ${PRESET_NAMES.join(', ')} (default: sms)
  --param K=V           set a form field (repeat a key to send it several times)
  --json TEXT           send this exact JSON text (a JSON webhook, signed via bodySHA256)
  --json-file FILE      send the JSON text in FILE
  --method GET|POST     default POST; GET puts the params in the query string
  --header K:V          add or replace a request header
  --idempotency-token T the I-Twilio-Idempotency-Token (default: a random UUID)
  --token-env NAME      environment variable holding the auth token (default ${DEFAULT_TOKEN_ENV})
  --token-stdin         read the auth token from stdin instead
  --forge               sign with a random wrong token (your function should answer 403)
  --dry-run             print the request it would send (request line, headers, body); send nothing;
                        an Authorization header shows its scheme only
  -h, --help            this help

Credentials in the URL (https://user:pass@host/...) are used for Basic/Digest auth only, as Twilio does.`;

const SPECS = {
  help: { type: 'boolean' },
  preset: { type: 'string' },
  param: { type: 'string', multiple: true },
  json: { type: 'string' },
  'json-file': { type: 'string' },
  method: { type: 'string' },
  header: { type: 'string', multiple: true },
  'idempotency-token': { type: 'string' },
  'token-env': { type: 'string' },
  'token-stdin': { type: 'boolean' },
  forge: { type: 'boolean' },
  'dry-run': { type: 'boolean' },
} as const;

export async function sendCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, SPECS);
  if (args.booleans.has('help')) {
    io.out(SEND_HELP);
    return 0;
  }
  const [url, ...extra] = args.positionals;
  if (!url) throw new UsageError('send needs a URL (twiml-guard send <url>)');
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);

  const body = requestBody(args, io);
  const headers = Object.fromEntries(all(args, 'header').map((text) => splitPair(text, ':', 'header')));
  const forge = args.booleans.has('forge');
  if (forge && (args.booleans.has('token-stdin') || single(args, 'token-env')))
    throw new UsageError('--forge signs with a random token; drop the token options');
  const authToken = forge
    ? randomBytes(16).toString('hex')
    : await readToken(io, single(args, 'token-env') ?? DEFAULT_TOKEN_ENV, args.booleans.has('token-stdin'));
  const idempotencyToken = single(args, 'idempotency-token');
  const method = single(args, 'method');

  const options: SendTwilioWebhookOptions = {
    url,
    authToken,
    headers,
    ...body,
    ...(method === undefined ? {} : { method }),
    ...(idempotencyToken === undefined ? {} : { idempotencyToken }),
    ...(io.fetch ? { fetch: io.fetch } : {}),
  };
  if (args.booleans.has('dry-run')) return dryRun(options, forge, io);
  const displayUrl = safeDisplayUrl(url);
  let result;
  try {
    result = await sendTwilioWebhook(options);
  } catch (error) {
    if (error instanceof TypeError && !(error as { cause?: unknown }).cause) throw new UsageError(error.message);
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const reason = cause?.code ?? cause?.message ?? (error as Error).message;
    throw new CliFailure(`could not reach ${displayUrl}: ${reason}${plainHttpHint(displayUrl, cause)}`);
  }
  io.err(
    `${result.request.method} ${result.request.url}${forge ? ' (forged signature)' : ''}${result.attempts > 1 ? ` (${result.attempts} attempts, auth challenge answered)` : ''}`,
  );
  io.out(`HTTP ${result.status}`);
  for (const [name, value] of Object.entries(result.headers)) io.out(`${name}: ${value}`);
  io.out('');
  io.out(result.body);
  if (result.status < 200 || result.status > 299) throw new CliFailure(`the webhook answered ${result.status}`);
  return 0;
}

function requestBody(args: ReturnType<typeof parseArgs>, io: CliIo): Pick<SendTwilioWebhookOptions, 'params' | 'json'> {
  const jsonText = single(args, 'json');
  const jsonFile = single(args, 'json-file');
  const paramTexts = all(args, 'param');
  const presetName = single(args, 'preset');
  if (jsonText !== undefined || jsonFile !== undefined) {
    if (jsonText !== undefined && jsonFile !== undefined) throw new UsageError('use --json or --json-file, not both');
    if (presetName !== undefined || paramTexts.length > 0)
      throw new UsageError('--json/--json-file replace the body; drop --preset and --param');
    const text = jsonText ?? readJsonFile(resolve(io.cwd, jsonFile as string));
    try {
      JSON.parse(text);
    } catch {
      throw new UsageError('the JSON body is not valid JSON');
    }
    return { json: text };
  }
  const name = presetName ?? 'sms';
  if (!isPresetName(name)) throw new UsageError(`unknown preset "${name}" (presets: ${PRESET_NAMES.join(', ')})`);
  const payload = presetPayload(name, collectParams(paramTexts));
  return payload.kind === 'form' ? { params: payload.params } : { json: payload.json };
}

function dryRun(options: SendTwilioWebhookOptions, forge: boolean, io: CliIo): number {
  let signed;
  try {
    signed = signTwilioRequest(options);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  io.err(
    `dry run: nothing sent${forge ? ' (forged signature)' : ''}${splitUrlCredentials(options.url).credentials ? '; Twilio sends this first without Authorization, then answers a Basic/Digest challenge' : ''}`,
  );
  for (const line of describeRequest(maskCredentials(signed))) io.out(line);
  return 0;
}

/** Authorization headers given with --header keep their scheme; the credentials are not printed. */
function maskCredentials(request: SignedTwilioRequest): SignedTwilioRequest {
  const headers = Object.fromEntries(
    Object.entries(request.headers).map(([name, value]) => [
      name,
      /^(proxy-)?authorization$/i.test(name) ? `${value.trim().split(/\s+/)[0] ?? ''} (credentials hidden)` : value,
    ]),
  );
  return { ...request, headers };
}

/** An https:// URL answered by a plain-http server (every local emulator serves http). */
function plainHttpHint(displayUrl: string, cause: { code?: string; message?: string } | undefined): string {
  const wrongVersion = cause?.code === 'ERR_SSL_WRONG_VERSION_NUMBER' || /wrong version number/i.test(cause?.message ?? '');
  if (!wrongVersion || !/^https:\/\//i.test(displayUrl)) return '';
  return ` (the server answered plain HTTP, not TLS: local emulators serve http://, so use ${displayUrl.replace(/^https:/i, 'http:')})`;
}

function readJsonFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    throw new CliFailure(`cannot read ${path}`);
  }
}

/** The URL without its credentials, for messages. */
function safeDisplayUrl(url: string): string {
  try {
    return splitUrlCredentials(url).url;
  } catch {
    return '(invalid URL)';
  }
}

/** `twiml-guard sign <url>`: the X-Twilio-Signature Twilio would send, and a ready `curl` that sends it. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { isPresetName, presetPayload, PRESET_NAMES } from '../presets.js';
import { signTwilioRequest, type SignTwilioRequestOptions } from '../sign-request.js';
import { splitUrlCredentials } from '../url-parts.js';
import { all, parseArgs, single, UsageError } from './args.js';
import { curlCommand } from './curl-command.js';
import { collectParams } from './form-params.js';
import { CliFailure, DEFAULT_TOKEN_ENV, type CliIo } from './io.js';

export const SIGN_HELP = `Usage: twiml-guard sign <url> [--param K=V ... | --json FILE] [options]

Prints the X-Twilio-Signature Twilio would send for this URL and body, then a curl command that
sends the request exactly as Twilio does. The auth token comes from ${DEFAULT_TOKEN_ENV} only
(never a flag: shells keep flags in their history).

Options:
  --param K=V        a form field (repeat a key to send it several times); only these are signed
  --preset NAME      start from a preset (${PRESET_NAMES.join(', ')}); --param replaces its fields
  --json FILE        a JSON webhook: the exact text of FILE (UTF-8, no BOM), bound by bodySHA256 in
                     the URL; the curl sends FILE itself, so sign again after changing it
  --method GET|POST  default POST; GET puts the params in the query string
  -h, --help         this help

Credentials in the URL (https://user:pass@host/...) are not signed; the curl answers the auth
challenge with them (--anyauth -u), so its command line, like the URL you typed, holds the password.`;

const SPECS = {
  help: { type: 'boolean' },
  param: { type: 'string', multiple: true },
  preset: { type: 'string' },
  json: { type: 'string' },
  method: { type: 'string' },
} as const;

export async function signCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, SPECS);
  if (args.booleans.has('help')) {
    io.out(SIGN_HELP);
    return 0;
  }
  const [url, ...extra] = args.positionals;
  if (!url) throw new UsageError('sign needs a URL (twiml-guard sign <url>)');
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
  // No HTTP client sends these raw (curl refuses the URL): a signature for them would test nothing.
  const raw = /[\u0000-\u0020\u007f]/.exec(url);
  if (raw)
    throw new UsageError(`the URL holds a space or control character at position ${raw.index + 1}: percent-encode it (a space is %20)`);
  const { bodyFile, ...body } = signedBody(args, io);
  const authToken = io.env[DEFAULT_TOKEN_ENV];
  if (!authToken)
    throw new CliFailure(
      `${DEFAULT_TOKEN_ENV} is not set: put the auth token in it (read -rs ${DEFAULT_TOKEN_ENV} && export ${DEFAULT_TOKEN_ENV})`,
    );
  const method = single(args, 'method');
  let signed;
  try {
    signed = signTwilioRequest({ url, authToken, ...body, ...(method === undefined ? {} : { method }) });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  io.out(`X-Twilio-Signature: ${signed.headers['X-Twilio-Signature']}`);
  io.out(`Signed URL: ${signed.url}`);
  io.out('');
  io.out(curlCommand(signed, splitUrlCredentials(url).credentials, bodyFile));
  return 0;
}

function signedBody(
  args: ReturnType<typeof parseArgs>,
  io: CliIo,
): Pick<SignTwilioRequestOptions, 'params' | 'json'> & { bodyFile?: string } {
  const jsonFile = single(args, 'json');
  const paramTexts = all(args, 'param');
  const presetName = single(args, 'preset');
  if (jsonFile !== undefined) {
    if (presetName !== undefined || paramTexts.length > 0) throw new UsageError('--json replaces the body; drop --preset and --param');
    const path = resolve(io.cwd, jsonFile);
    const text = readUtf8(path, jsonFile);
    if (text.startsWith('\uFEFF'))
      throw new UsageError(`${jsonFile} starts with a byte order mark (BOM): Twilio sends none; save the file as UTF-8 without BOM`);
    try {
      JSON.parse(text);
    } catch {
      throw new UsageError(`${jsonFile} is not valid JSON`);
    }
    return { json: text, bodyFile: path };
  }
  const params = collectParams(paramTexts);
  if (presetName === undefined) return { params };
  if (!isPresetName(presetName)) throw new UsageError(`unknown preset "${presetName}" (presets: ${PRESET_NAMES.join(', ')})`);
  const payload = presetPayload(presetName, params);
  return payload.kind === 'form' ? { params: payload.params } : { json: payload.json };
}

/** The file's text; not UTF-8 is refused, since the hash signed must be of the very bytes curl sends. */
function readUtf8(path: string, given: string): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch {
    throw new CliFailure(`cannot read ${path}`);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new UsageError(`${given} is not UTF-8 text`);
  }
}

/** `twiml-guard diagnose`: explain why a captured request does (not) validate, without printing secrets. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { diagnoseRequest, formatDiagnosis } from '../diagnose.js';
import { DEFAULT_PATH_PREFIXES } from '../near-miss.js';
import { all, parseArgs, single, splitPair, UsageError } from './args.js';
import { CliFailure, DEFAULT_TOKEN_ENV, readToken, type CliIo } from './io.js';

export const DIAGNOSE_HELP = `Usage: twiml-guard diagnose --url <url> --header 'X-Twilio-Signature: ...' (--body <raw> | --body-file <file>) [options]

Takes a captured request (the public URL it was sent to, its headers and its raw body) and the
auth token, and explains which URL variant the signature matches. When none does, it tries
near-miss URLs (http/https, trailing slash, port, a stage or base path, the query string) and
says which one Twilio signed. Never prints the token or the signature. Exits 0 on a match, 1 otherwise.

Options:
  --url URL             the public URL the request was received on (required)
  --header K:V          a request header; at least X-Twilio-Signature (repeatable)
  --body RAW            the raw body exactly as received (use '' for GET)
  --body-file FILE      the raw body bytes from FILE
  --method GET|POST     default POST
  --prefix P            also try adding this base path, besides ${DEFAULT_PATH_PREFIXES.join(', ')} (repeatable)
  --token-env NAME      environment variable with an auth token (default ${DEFAULT_TOKEN_ENV}; repeat for rotation)
  --token-stdin         read the auth token from stdin instead
  -h, --help            this help`;

const SPECS = {
  help: { type: 'boolean' },
  url: { type: 'string' },
  header: { type: 'string', multiple: true },
  body: { type: 'string' },
  'body-file': { type: 'string' },
  method: { type: 'string' },
  prefix: { type: 'string', multiple: true },
  'token-env': { type: 'string', multiple: true },
  'token-stdin': { type: 'boolean' },
} as const;

export async function diagnoseCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, SPECS);
  if (args.booleans.has('help')) {
    io.out(DIAGNOSE_HELP);
    return 0;
  }
  if (args.positionals.length > 0) throw new UsageError(`unexpected argument "${args.positionals[0]}" (the URL goes after --url)`);
  const url = single(args, 'url');
  if (!url) throw new UsageError('diagnose needs --url');
  const bodyText = single(args, 'body');
  const bodyFile = single(args, 'body-file');
  if ((bodyText === undefined) === (bodyFile === undefined))
    throw new UsageError('give the raw body with exactly one of --body or --body-file');
  const body = bodyText ?? readBody(resolve(io.cwd, bodyFile as string));
  const headers: Record<string, string> = {};
  for (const text of all(args, 'header')) {
    const [name, value] = splitPair(text, ':', 'header');
    headers[name.toLowerCase()] = value;
  }

  const fromStdin = args.booleans.has('token-stdin');
  const tokenEnvs = all(args, 'token-env');
  if (fromStdin && tokenEnvs.length > 0) throw new UsageError('use --token-env or --token-stdin, not both');
  const tokens = fromStdin
    ? [await readToken(io, DEFAULT_TOKEN_ENV, true)]
    : await Promise.all((tokenEnvs.length > 0 ? tokenEnvs : [DEFAULT_TOKEN_ENV]).map((name) => readToken(io, name, false)));

  const method = single(args, 'method') ?? 'POST';
  const diagnosis = diagnoseRequest(
    { url, method, headers, body },
    { authTokens: tokens, pathPrefixes: [...DEFAULT_PATH_PREFIXES, ...all(args, 'prefix')] },
  );
  for (const line of formatDiagnosis(diagnosis, tokens.length, url)) io.out(line);
  if (!diagnosis.valid)
    throw new CliFailure(diagnosis.nearMiss ? 'the signature matches a different URL (see NEAR MISS)' : 'the signature does not validate');
  return 0;
}

function readBody(path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch {
    throw new CliFailure(`cannot read ${path}`);
  }
}

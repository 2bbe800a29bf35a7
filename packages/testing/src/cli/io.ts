import { UsageError } from './args.js';

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** A Twilio auth token: 32 hex digits. */
const AUTH_TOKEN_SHAPE = /^[0-9a-f]{32}$/i;

/** What a CLI command may touch, so tests and the real process wire it differently. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  readonly env: Readonly<Record<string, string | undefined>>;
  readStdin(): Promise<string>;
  readonly cwd: string;
  readonly fetch?: typeof fetch;
}

/** A failure with a one-line reason (exit code 1). */
export class CliFailure extends Error {}

export const DEFAULT_TOKEN_ENV = 'TWILIO_AUTH_TOKEN';

/** The token from stdin or an environment variable: never from a flag value, which shells log. */
export async function readToken(io: CliIo, tokenEnv: string, fromStdin: boolean): Promise<string> {
  if (fromStdin) {
    const token = (await io.readStdin()).replace(/\r?\n$/, '');
    if (!token) throw new CliFailure('no auth token on stdin');
    return token;
  }
  // A token typed where the variable's name belongs must not be echoed back into the terminal or a CI log.
  if (!ENV_NAME.test(tokenEnv) || AUTH_TOKEN_SHAPE.test(tokenEnv)) {
    throw new UsageError(
      '--token-env takes the NAME of an environment variable (e.g. TWILIO_AUTH_TOKEN), not the token; the value given is not repeated here',
    );
  }
  const token = io.env[tokenEnv];
  if (!token) throw new CliFailure(`${tokenEnv} is not set (put the auth token in it, or use --token-stdin)`);
  return token;
}

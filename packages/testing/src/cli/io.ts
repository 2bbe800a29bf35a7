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
  const token = io.env[tokenEnv];
  if (!token) throw new CliFailure(`${tokenEnv} is not set (put the auth token in it, or use --token-stdin)`);
  return token;
}

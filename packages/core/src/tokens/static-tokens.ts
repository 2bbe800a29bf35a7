import { readEnv } from '../env.js';
import { isWellFormedToken, TokenNotConfiguredError, type TokenList, type TokenSource } from './token-source.js';

/** Fixed tokens: one string, or several during a rotation. */
export function staticTokens(tokens: string | TokenList): TokenSource {
  const list: TokenList = typeof tokens === 'string' ? [tokens] : tokens;
  // A list holding garbage (an unset variable read into it, a number) keeps only its usable tokens.
  const hasToken = Array.isArray(list) && (list as readonly unknown[]).some(isWellFormedToken);
  return {
    description: 'static',
    getTokens: () => {
      // `authToken: ''` (an unset variable read into the option) is a deployment mistake: 500 with help, not 403.
      if (!hasToken) throw new TokenNotConfiguredError('the authToken option holds no token (empty string or empty list)');
      return list;
    },
  };
}

/**
 * Tokens from environment variables, read on each call so a warm container sees a redeployed value.
 * `TWILIO_AUTH_TOKEN` may hold several comma-separated tokens during a rotation; it is also how a
 * secret mounted as an environment variable (GCP, Twilio Functions) arrives. `env`: where to read
 * them, default `process.env` (a runtime that denies or lacks it reads as unset); Cloudflare
 * Workers pass the Worker's `env` (its vars and secrets).
 */
export function envTokens(name = 'TWILIO_AUTH_TOKEN', pendingName = 'TWILIO_AUTH_TOKEN_PENDING', env?: object): TokenSource {
  const read = (variable: string): string | undefined => {
    if (!env) return readEnv(variable);
    const value = (env as Record<string, unknown>)[variable];
    return typeof value === 'string' ? value : undefined;
  };
  return {
    description: `env:${name}`,
    getTokens: () => {
      const current = read(name);
      if (!current) {
        throw new TokenNotConfiguredError(`environment variable ${name} is not set`);
      }
      const tokens = current
        .split(',')
        .map((token) => token.trim())
        .filter(Boolean);
      if (tokens.length === 0) throw new TokenNotConfiguredError(`environment variable ${name} holds no token`);
      const pending = read(pendingName);
      if (pending) tokens.push(pending.trim());
      return tokens;
    },
  };
}

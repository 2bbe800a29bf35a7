import { readEnv } from '../env.js';
import { TokenNotConfiguredError, type TokenList, type TokenSource } from './token-source.js';

/** Fixed tokens: one string, or several during a rotation. */
export function staticTokens(tokens: string | TokenList): TokenSource {
  const list: TokenList = typeof tokens === 'string' ? [tokens] : tokens;
  const hasToken = list.some((token) => (typeof token === 'string' ? token : token.value) !== '');
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
 * secret mounted as an environment variable (GCP, Twilio Functions) arrives.
 */
export function envTokens(name = 'TWILIO_AUTH_TOKEN', pendingName = 'TWILIO_AUTH_TOKEN_PENDING'): TokenSource {
  return {
    description: `env:${name}`,
    getTokens: () => {
      const current = readEnv(name);
      if (!current) {
        throw new TokenNotConfiguredError(`environment variable ${name} is not set`);
      }
      const tokens = current.split(',').map((token) => token.trim()).filter(Boolean);
      if (tokens.length === 0) throw new TokenNotConfiguredError(`environment variable ${name} holds no token`);
      const pending = readEnv(pendingName);
      if (pending) tokens.push(pending.trim());
      return tokens;
    },
  };
}

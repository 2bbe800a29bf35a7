/**
 * The auth token lives in the Runtime's per-invocation `context` (`AUTH_TOKEN` when "Add my Twilio
 * Credentials" is on, or any environment variable), which the core's token source interface cannot
 * be handed. The adapter runs each invocation inside `withInvocationContext`, and this source reads
 * the context of the invocation it is called from: concurrent invocations never see each other's.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { TokenNotConfiguredError, type TokenList, type TokenSource } from '@twiml-guard/core';
import type { TwilioFunctionContext } from './types.js';

const invocationContext = new AsyncLocalStorage<TwilioFunctionContext>();

/**
 * Runs one invocation with its `context` in reach of `contextTokenSource`; concurrent invocations
 * never see each other's.
 * @param context - the invocation's `context`
 * @param run - the invocation
 * @returns what `run` returns
 */
export function withInvocationContext<T>(context: TwilioFunctionContext, run: () => T): T {
  return invocationContext.run(context, run);
}

/** `context[name]` first (Twilio Functions environment variables), then `process.env[name]` (other hosts, tests). */
function variable(context: TwilioFunctionContext | undefined, name: string, fromProcessEnv: boolean): string | undefined {
  const fromContext = context?.[name];
  if (typeof fromContext === 'string' && fromContext.trim() !== '') return fromContext;
  const fromEnv = fromProcessEnv ? process.env[name] : undefined;
  return fromEnv && fromEnv.trim() !== '' ? fromEnv : undefined;
}

function splitTokens(value: string): string[] {
  return value
    .split(',')
    .map((token) => token.trim())
    .filter(Boolean);
}

/**
 * With `authTokenEnv`: that variable only. Without: `context.AUTH_TOKEN`, else `TWILIO_AUTH_TOKEN`
 * (context, then process.env), plus `TWILIO_AUTH_TOKEN_PENDING` during a rotation. Comma-separated
 * values hold several tokens. Uncached: reading the context costs nothing.
 */
export function contextTokenSource(authTokenEnv?: string): TokenSource {
  const names = authTokenEnv ? [authTokenEnv] : ['AUTH_TOKEN', 'TWILIO_AUTH_TOKEN'];
  return {
    description: `twilio-functions context:${names.join('|')}`,
    getTokens(): TokenList {
      const context = invocationContext.getStore();
      // AUTH_TOKEN is the Runtime's own name: only the context holds it, never a host's process.env.
      const name = names.find((candidate) => variable(context, candidate, candidate !== 'AUTH_TOKEN') !== undefined);
      if (name === undefined) {
        throw authTokenEnv
          ? new TokenNotConfiguredError(`environment variable ${authTokenEnv} (authTokenEnv) is empty in context and process.env`, {
              // Only that variable is read: AUTH_TOKEN and TWILIO_AUTH_TOKEN would not help.
              remedy: `Set ${authTokenEnv} in the service's environment variables, or drop authTokenEnv to read AUTH_TOKEN, then TWILIO_AUTH_TOKEN`,
            })
          : new TokenNotConfiguredError('context.AUTH_TOKEN and TWILIO_AUTH_TOKEN are empty');
      }
      const tokens = splitTokens(variable(context, name, name !== 'AUTH_TOKEN') as string);
      const pending = authTokenEnv ? undefined : variable(context, 'TWILIO_AUTH_TOKEN_PENDING', true);
      if (pending) tokens.push(...splitTokens(pending));
      return tokens;
    },
  };
}

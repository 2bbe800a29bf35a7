/** Shared pieces of the rotation tests: an account, a log sink, and a Twilio API that "crashes" after promoting. */
import type { Logger, LogEntry } from '@twiml-guard/core';
import type { TwilioAuthTokensApi } from '@twiml-guard/core/rotation';

export const ACCOUNT_SID = `AC${'0123456789abcdef'.repeat(2)}`;
export const FIRST_TOKEN = '00112233445566778899aabbccddeeff';

/** Collects log entries, each with the `level` it was logged at (as the stderr logger writes it). */
export function collectingLogger(): { logger: Logger; entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  const at = (level: string) => (entry: LogEntry) => {
    entries.push({ ...entry, level });
  };
  return { logger: { info: at('info'), warn: at('warn'), error: at('error') }, entries };
}

/**
 * The process dies right after Twilio applied the promotion: the promote call and every call after it
 * fail, as if the function had been killed (a timeout, an out-of-memory) before it could commit.
 */
export function crashesAfterPromote(api: TwilioAuthTokensApi): TwilioAuthTokensApi & { crashed: boolean } {
  const state = { crashed: false };
  const alive =
    <A extends unknown[], R>(call: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      if (state.crashed) throw new Error('process killed');
      return call(...args);
    };
  return {
    get crashed() {
      return state.crashed;
    },
    createSecondary: alive((c) => api.createSecondary(c)),
    deleteSecondary: alive((c) => api.deleteSecondary(c)),
    authenticates: alive((c) => api.authenticates(c)),
    promote: alive(async (c) => {
      await api.promote(c);
      state.crashed = true;
      throw new Error('process killed');
    }),
  };
}

/**
 * Twilio answers createSecondary late: the secondary exists at Twilio (`created` resolves), and the
 * answer reaches the caller only after `answer()`, so a test can let the caller's lease or lock run out meanwhile.
 */
export function lateCreateSecondaryAnswer(api: TwilioAuthTokensApi): {
  twilio: TwilioAuthTokensApi;
  created: Promise<void>;
  answer: () => void;
} {
  let answer!: () => void;
  const answered = new Promise<void>((resolve) => (answer = resolve));
  let secondaryCreated!: () => void;
  const created = new Promise<void>((resolve) => (secondaryCreated = resolve));
  const twilio: TwilioAuthTokensApi = {
    ...api,
    createSecondary: async (credentials) => {
      const token = await api.createSecondary(credentials);
      secondaryCreated();
      await answered;
      return token;
    },
  };
  return { twilio, created, answer };
}

/**
 * A fault hook the tests drive: an invocation "dies" right after its `killAt`-th state change (a store
 * write or a Twilio change that was applied): that call and every later one fail, as if the process had
 * been killed before it heard the answer. `killAt` 0 never dies.
 */
import type { TwilioAuthTokensApi } from '@twiml-guard/core/rotation';

export interface Fault {
  readonly killAt: number;
  changes: number;
  dead: boolean;
}

export function fault(killAt: number): Fault {
  return { killAt, changes: 0, dead: false };
}

export function killed(): Error {
  return Object.assign(new Error('process killed'), { name: 'Killed' });
}

/** Runs `call`; when it changed state, counts the change (and dies after the killAt-th). */
export async function guarded<R>(state: Fault, changes: boolean, call: () => Promise<R>): Promise<R> {
  if (state.dead) throw killed();
  const result = await call();
  if (changes && ++state.changes === state.killAt) state.dead = true;
  if (state.dead) throw killed();
  return result;
}

export function crashingTwilio(api: TwilioAuthTokensApi, state: Fault): TwilioAuthTokensApi {
  return {
    createSecondary: (c) => guarded(state, true, () => api.createSecondary(c)),
    promote: (c) => guarded(state, true, () => api.promote(c)),
    deleteSecondary: (c) => guarded(state, false, () => api.deleteSecondary(c)),
    authenticates: (c) => guarded(state, false, () => api.authenticates(c)),
  };
}

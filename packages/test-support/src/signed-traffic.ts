/**
 * Continuous signed traffic while a rotation runs: legitimate requests signed with whatever token
 * the fake Twilio signs with at send time, and forged ones (a token Twilio never issued, or the right
 * token over another URL). The caller says how to sign and how to deliver to its platform's webhook.
 */
import { newAuthToken, type TwilioAccountsFake } from './fakes/twilio-accounts-fake.js';

export interface TrafficTally {
  legitimate: number;
  legitimateRefused: number;
  forged: number;
  forgedAccepted: number;
  refusedStatuses: number[];
  signedWith: Map<string, number>;
}

export async function runSignedTraffic(options: {
  readonly twilio: TwilioAccountsFake;
  /** Delivers request `n` with this signature; returns the HTTP status. */
  readonly send: (n: number, signature: string) => Promise<number>;
  /** Signs request `n` with `token`, over another URL than the webhook's when `forgedUrl`. */
  readonly sign: (token: string, forgedUrl: boolean, n: number) => string;
  readonly rotate: () => Promise<void>;
  readonly workers?: number;
  readonly minimumLegitimate?: number;
  /** A pause after each request, to leave CPU to child processes. Default none. */
  readonly pauseMs?: number;
}): Promise<TrafficTally> {
  const tally: TrafficTally = {
    legitimate: 0,
    legitimateRefused: 0,
    forged: 0,
    forgedAccepted: 0,
    refusedStatuses: [],
    signedWith: new Map(),
  };
  let rotating = true;
  const rotation = (async () => {
    await new Promise((resolve) => setTimeout(resolve, 50));
    await options.rotate();
  })().finally(() => {
    rotating = false;
  });
  let sent = 0;
  const worker = async () => {
    while (rotating || tally.legitimate < (options.minimumLegitimate ?? 3_000)) {
      const n = sent++;
      const forgery = n % 10 === 9 ? (n % 20 === 19 ? 'unknown-token' : 'other-url') : undefined;
      // Read the signing token at send time, as Twilio does when it signs.
      const token = forgery === 'unknown-token' ? newAuthToken() : options.twilio.signingToken();
      const status = await options.send(n, options.sign(token, forgery === 'other-url', n));
      if (forgery) {
        tally.forged++;
        if (status < 400) tally.forgedAccepted++;
      } else {
        tally.legitimate++;
        tally.signedWith.set(token, (tally.signedWith.get(token) ?? 0) + 1);
        if (status !== 200) {
          tally.legitimateRefused++;
          if (!tally.refusedStatuses.includes(status)) tally.refusedStatuses.push(status);
        }
      }
      if (options.pauseMs) await new Promise((resolve) => setTimeout(resolve, options.pauseMs));
      else if (n % 2 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
  };
  await Promise.all([rotation, ...Array.from({ length: options.workers ?? 4 }, () => worker())]);
  return tally;
}

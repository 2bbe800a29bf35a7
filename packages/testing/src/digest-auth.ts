/**
 * The client side of HTTP Digest (RFC 7616), as Twilio answers a Digest challenge for a webhook URL
 * with `user:pass@`: algorithms MD5 and SHA-256 and their `-sess` variants, qop `auth` (preferred)
 * or `auth-int`, or the RFC 2069 form when the server offers no qop.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { AuthChallenge } from './www-authenticate.js';

/** The hash behind a Digest algorithm. */
export type DigestHash = 'md5' | 'sha256';
/** The Digest qop values this client answers. */
export type DigestQop = 'auth' | 'auth-int';

/** A server's Digest challenge, as this client can answer it. */
export interface DigestChallenge {
  /** The protection space, sent back in the answer. */
  readonly realm: string;
  /** The server's nonce. */
  readonly nonce: string;
  /** The qop values offered; empty for an RFC 2069 challenge. */
  readonly qop: readonly string[];
  /** As the server spelled it (`MD5` when absent). */
  readonly algorithm: string;
  /** Returned to the server unchanged. */
  readonly opaque?: string;
  /** `true` when the server refused an expired nonce (answer again, with the new one). */
  readonly stale: boolean;
}

/** What a Digest algorithm name means: its hash, and whether it is a `-sess` variant. */
export interface DigestAlgorithm {
  /** The hash function. */
  readonly hash: DigestHash;
  /** `true` for `-sess`: HA1 also covers the nonces. */
  readonly session: boolean;
}

const ALGORITHMS: Readonly<Record<string, DigestAlgorithm>> = {
  md5: { hash: 'md5', session: false },
  'md5-sess': { hash: 'md5', session: true },
  'sha-256': { hash: 'sha256', session: false },
  'sha-256-sess': { hash: 'sha256', session: true },
};

/** `undefined` for algorithms this client cannot answer (e.g. SHA-512-256). */
export function digestAlgorithm(name: string): DigestAlgorithm | undefined {
  return ALGORITHMS[name.toLowerCase()];
}

/** A usable Digest challenge, or `undefined` when it lacks realm/nonce or needs an unsupported algorithm or qop. */
export function toDigestChallenge(challenge: AuthChallenge): DigestChallenge | undefined {
  if (challenge.scheme !== 'digest') return undefined;
  const { realm, nonce, opaque } = challenge.params;
  if (realm === undefined || nonce === undefined) return undefined;
  const algorithm = challenge.params.algorithm ?? 'MD5';
  if (!digestAlgorithm(algorithm)) return undefined;
  const qop = (challenge.params.qop ?? '')
    .split(',')
    .map((value) => value.trim().toLowerCase())
    .filter(Boolean);
  if (qop.length > 0 && !qop.includes('auth') && !qop.includes('auth-int')) return undefined;
  return {
    realm,
    nonce,
    qop,
    algorithm,
    ...(opaque === undefined ? {} : { opaque }),
    stale: challenge.params.stale?.toLowerCase() === 'true',
  };
}

/** What `digestAuthorization` needs: the challenge, the credentials and the request. */
export interface DigestResponseInput {
  /** The challenge from the server's 401. */
  readonly challenge: DigestChallenge;
  /** The user name from the webhook URL. */
  readonly username: string;
  /** The password from the webhook URL. */
  readonly password: string;
  /** The request's HTTP method. */
  readonly method: string;
  /** The request target: path and query. */
  readonly uri: string;
  /** The entity body, hashed for qop `auth-int`. */
  readonly body?: string;
  /** Random unless given (tests pin it). */
  readonly cnonce?: string;
  /** Requests sent with this nonce so far, this one included. Default 1. */
  readonly nonceCount?: number;
}

/** The answer to a Digest challenge, and the values that went into it. */
export interface DigestAuthorization {
  /** The full `Authorization` header value. */
  readonly header: string;
  /** The computed `response` value. */
  readonly response: string;
  /** The client nonce used. */
  readonly cnonce: string;
  /** The nonce count, eight hex digits. */
  readonly nc: string;
  /** The qop chosen; absent for an RFC 2069 challenge. */
  readonly qop?: DigestQop;
}

/**
 * Answers a Digest challenge as Twilio does: the `Authorization` header for one request.
 * @param input - the challenge, the credentials and the request
 * @throws Error for an algorithm this client does not support
 */
export function digestAuthorization(input: DigestResponseInput): DigestAuthorization {
  const { challenge } = input;
  const algorithm = digestAlgorithm(challenge.algorithm);
  if (!algorithm) throw new Error(`Unsupported Digest algorithm ${challenge.algorithm}.`);
  const hash = (text: string): string => createHash(algorithm.hash).update(text, 'utf8').digest('hex');
  const qop = chooseQop(challenge.qop);
  const cnonce = input.cnonce ?? randomBytes(16).toString('hex');
  const nc = (input.nonceCount ?? 1).toString(16).padStart(8, '0');

  let ha1 = hash(`${input.username}:${challenge.realm}:${input.password}`);
  if (algorithm.session) ha1 = hash(`${ha1}:${challenge.nonce}:${cnonce}`);
  const ha2 = qop === 'auth-int' ? hash(`${input.method}:${input.uri}:${hash(input.body ?? '')}`) : hash(`${input.method}:${input.uri}`);
  const response =
    qop === undefined ? hash(`${ha1}:${challenge.nonce}:${ha2}`) : hash(`${ha1}:${challenge.nonce}:${nc}:${cnonce}:${qop}:${ha2}`);

  const fields = [
    `username=${quote(input.username)}`,
    `realm=${quote(challenge.realm)}`,
    `uri=${quote(input.uri)}`,
    `algorithm=${challenge.algorithm}`,
    `nonce=${quote(challenge.nonce)}`,
  ];
  if (qop !== undefined) fields.push(`nc=${nc}`, `cnonce=${quote(cnonce)}`, `qop=${qop}`);
  fields.push(`response=${quote(response)}`);
  if (challenge.opaque !== undefined) fields.push(`opaque=${quote(challenge.opaque)}`);
  return { header: `Digest ${fields.join(', ')}`, response, cnonce, nc, ...(qop === undefined ? {} : { qop }) };
}

/** Higher is stronger: SHA-256 over MD5, used to pick among several Digest challenges. */
export function digestStrength(challenge: DigestChallenge): number {
  return digestAlgorithm(challenge.algorithm)?.hash === 'sha256' ? 2 : 1;
}

function chooseQop(offered: readonly string[]): DigestQop | undefined {
  if (offered.length === 0) return undefined;
  return offered.includes('auth') ? 'auth' : 'auth-int';
}

function quote(value: string): string {
  return `"${value.replace(/(["\\])/g, '\\$1')}"`;
}

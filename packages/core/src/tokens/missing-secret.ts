/**
 * A secret that does not exist, for secret-store token sources. Reachable only from the adapter
 * subpath, so the error class comes from the main entry by its package name: one class per bundle.
 */
import { TokenNotConfiguredError, type TokenList } from '@twiml-guard/core';

/** Per-account secrets: that account is unknown, so no token (403). One fixed secret missing is a deployment mistake (500, with what to fix). */
export function missingSecret(perAccount: boolean, description: string): TokenList {
  if (perAccount) return [];
  throw new TokenNotConfiguredError(`${description} does not exist`);
}

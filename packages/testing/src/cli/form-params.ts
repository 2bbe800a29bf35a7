/** `--param K=V` flags as form fields: repeated keys become arrays, in the order given. */
import type { FormOverrides } from '../presets.js';
import { splitPair } from './args.js';

export function collectParams(texts: readonly string[]): FormOverrides {
  const params: Record<string, string | string[]> = {};
  for (const text of texts) {
    const [key, value] = splitPair(text, '=', 'param');
    const existing = params[key];
    params[key] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return params;
}

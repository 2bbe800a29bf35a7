/** Environment variables by name, e.g. `process.env` or a Cloudflare Worker's `env`. */
export type EnvironmentReader = Readonly<Record<string, string | undefined>>;

/**
 * One environment variable, or `undefined` where it is unset or the runtime denies access to it.
 * Never throws: Workers without `nodejs_compat` and browsers have no `process`; Deno without
 * `--allow-env` throws on every read. Either way the variable counts as unset, so a user who passes
 * every option needs no permission at all.
 * @param name - the variable's name
 */
export function readEnv(name: string): string | undefined {
  try {
    // Inside the try: a sandbox may define `process` as a getter that throws.
    if (typeof process === 'undefined') return undefined;
    const value: unknown = process.env[name];
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

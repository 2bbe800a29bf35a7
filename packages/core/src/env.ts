/**
 * Environment reads that never throw. Workers without `nodejs_compat` and browsers have no
 * `process`; Deno without `--allow-env` throws on every read. Either way the variable counts as
 * unset, so a user who passes every option needs no permission at all.
 */
export type EnvironmentReader = Readonly<Record<string, string | undefined>>;

export function readEnv(name: string): string | undefined {
  try {
    const value = (globalThis as { process?: { env?: Record<string, unknown> } }).process?.env?.[name];
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The variables the public-URL resolution reads, each through `readEnv`. Getters, not a Proxy:
 * this is read on every request, and a getter costs next to nothing there.
 */
export const guardedEnv: EnvironmentReader = Object.freeze({
  get TWILIO_WEBHOOK_URL() {
    return readEnv('TWILIO_WEBHOOK_URL');
  },
  get PUBLIC_BASE_URL() {
    return readEnv('PUBLIC_BASE_URL');
  },
});

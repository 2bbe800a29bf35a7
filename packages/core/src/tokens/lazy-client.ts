/**
 * What every secret-store token source needs around its SDK client: created on the first request,
 * never at import (docs/design.md, rule 7), shared by concurrent requests, and forgotten when creating it failed
 * (a missing credential or a module load error) so the next request tries again.
 */
export function lazyClient<T>(create: () => Promise<T>, given?: T): () => Promise<T> {
  let client: Promise<T> | undefined = given === undefined ? undefined : Promise.resolve(given);
  return () =>
    (client ??= create().catch((error: unknown) => {
      client = undefined;
      throw error;
    }));
}

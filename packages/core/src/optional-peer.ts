/**
 * The rejection handler every lazy SDK import chains, on the `import()` itself:
 * `import('@aws-sdk/client-ssm').catch(optionalPeerMissing('@aws-sdk/client-ssm'))`.
 *
 * That `.catch` is what lets a user's bundler cope with optional peers: esbuild bundles the SDK when
 * it is installed, keeps the import when it is marked external (`@aws-sdk/*` on Lambda), and leaves
 * it out, instead of failing the build, when it is neither. At run time a missing SDK then fails
 * with an error that says what to install rather than Node's bare module-not-found.
 */
export function optionalPeerMissing(packageName: string): (error: unknown) => never {
  return (error: unknown) => {
    if (!isModuleNotFound(error, packageName)) throw error;
    throw new Error(
      `${packageName} could not be loaded: install it (npm install ${packageName}), or provide it in the runtime and mark it external when bundling`,
      {
        cause: error,
      },
    );
  };
}

function isModuleNotFound(error: unknown, packageName: string): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') return false;
  return typeof message === 'string' && message.includes(packageName);
}

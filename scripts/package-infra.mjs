// Builds the function bundles infra/ deploys, as zips in dist/ (where the Terraform and CloudFormation
// defaults look): `npm run package:infra`. Each zip is what its platform expects to unpack and run.
import { build } from 'esbuild';
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import yazl from 'yazl';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'dist');
const version = (/** @type {string} */ name) => JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')).version;

/**
 * Lambda: one file, AWS SDK left to the runtime. GCP/Azure: one file plus a package.json the platform's build installs.
 * @type {Array<{ zip: string, entry: string, file: string, external: string[], dependencies?: string[], extra?: Record<string, string> }>}
 */
const bundles = [
  { zip: 'sms-auto-reply.zip', entry: 'aws-webhook.ts', file: 'index.js', external: ['@aws-sdk/*'] },
  { zip: 'rotation.zip', entry: 'aws-rotation.ts', file: 'rotation.js', external: ['@aws-sdk/*'] },
  {
    zip: 'gcp-webhook.zip',
    entry: 'gcp-webhook.ts',
    file: 'index.js',
    external: ['@google-cloud/*'],
    dependencies: ['@google-cloud/functions-framework', '@google-cloud/secret-manager'],
  },
  {
    zip: 'gcp-rotation.zip',
    entry: 'gcp-rotation.ts',
    file: 'index.js',
    external: ['@google-cloud/*'],
    dependencies: ['@google-cloud/functions-framework', '@google-cloud/secret-manager'],
  },
  {
    zip: 'azure-rotation.zip',
    entry: 'azure-rotation.ts',
    file: 'index.js',
    external: ['@azure/*'],
    dependencies: ['@azure/functions', '@azure/identity', '@azure/keyvault-secrets'],
    extra: {
      'host.json': JSON.stringify(
        { version: '2.0', extensionBundle: { id: 'Microsoft.Azure.Functions.ExtensionBundle', version: '[4.*, 5.0.0)' } },
        null,
        2,
      ),
    },
  },
];

export async function packageInfra() {
  mkdirSync(outDir, { recursive: true });
  /** @type {string[]} */
  const written = [];
  for (const bundle of bundles) {
    const result = await build({
      entryPoints: [join(root, 'infra/functions', bundle.entry)],
      bundle: true,
      minify: true,
      platform: 'node',
      target: 'node22',
      format: 'cjs',
      external: bundle.external,
      tsconfig: join(root, 'tsconfig.json'),
      write: false,
      logLevel: 'error',
    });
    const zip = new yazl.ZipFile();
    const [output] = result.outputFiles ?? [];
    if (!output) throw new Error(`esbuild returned no bundle for ${bundle.entry}`);
    zip.addBuffer(Buffer.from(output.contents), bundle.file, { mtime: new Date(0) });
    if (bundle.dependencies) {
      const manifest = {
        name: bundle.zip.replace(/\.zip$/, ''),
        private: true,
        main: bundle.file,
        engines: { node: '>=22' },
        dependencies: Object.fromEntries(bundle.dependencies.map((name) => [name, version(name)])),
      };
      zip.addBuffer(Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`), 'package.json', { mtime: new Date(0) });
    }
    for (const [name, text] of Object.entries(bundle.extra ?? {})) zip.addBuffer(Buffer.from(`${text}\n`), name, { mtime: new Date(0) });
    const path = join(outDir, bundle.zip);
    await new Promise((resolve, reject) => {
      zip.outputStream
        .pipe(createWriteStream(path))
        .on('close', () => resolve(undefined))
        .on('error', reject);
      zip.end();
    });
    written.push(path);
  }
  return written;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const written = await packageInfra();
  for (const path of written) console.log(`wrote ${path.slice(root.length + 1)}`);
}

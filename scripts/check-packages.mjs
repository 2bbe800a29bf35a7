// Checks every package as npm would publish it: packs each workspace (its `prepack` builds it) into a
// temporary folder, then lints each tarball with `publint --strict` and `attw` (node10, node16 CJS,
// node16 ESM and bundler resolution, every entry point including subpaths). Exits 1 on any finding.
//   node scripts/check-packages.mjs            every workspace package
//   node scripts/check-packages.mjs core fetch only those
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
/** @type {string[]} */
const workspaces = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).workspaces.filter(
  // Published packages only: a private workspace (the shared test helpers) is never packed for users.
  /** @param {string} folder */ (folder) => JSON.parse(readFileSync(join(root, folder, 'package.json'), 'utf8')).private !== true,
);
const requested = process.argv.slice(2);
const folders = requested.length > 0 ? workspaces.filter((folder) => requested.some((name) => folder.endsWith(`/${name}`))) : workspaces;
if (folders.length === 0) throw new Error(`no workspace matches ${requested.join(', ')}`);

const destination = mkdtempSync(join(tmpdir(), 'twiml-guard-packs-'));
let failures = 0;
try {
  for (const folder of folders) {
    const output = execFileSync('npm', ['pack', '--json', '--pack-destination', destination], {
      cwd: join(root, folder),
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    // The prepack build prints to stdout too; npm's JSON report is the array that starts a line.
    const packed = JSON.parse(output.slice(output.search(/^\[/m)))[0];
    const tarball = join(destination, packed.filename);
    console.log(`\n== ${packed.name}@${packed.version}: ${packed.files.length} files, ${packed.size} bytes packed`);

    const bytes = readFileSync(tarball);
    const pkg = JSON.parse(readFileSync(join(root, folder, 'package.json'), 'utf8'));
    const { messages } = await publint({
      pack: { tarball: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) },
      strict: true,
    });
    for (const message of messages) console.log(`publint ${message.type}: ${formatMessage(message, pkg) ?? message.code}`);
    if (messages.length > 0) failures += 1;
    else console.log('publint --strict: clean');

    // No @types lookups on the registry: our packages ship their own declarations.
    const attw = spawnSync(
      process.execPath,
      [
        join(root, 'node_modules/@arethetypeswrong/cli/dist/index.js'),
        tarball,
        '--no-definitely-typed',
        '--format',
        'table-flipped',
        '--no-emoji',
        '--no-color',
      ],
      {
        encoding: 'utf8',
      },
    );
    process.stdout.write(attw.stdout);
    process.stderr.write(attw.stderr);
    if (attw.status !== 0) failures += 1;
  }
} finally {
  rmSync(destination, { recursive: true, force: true });
}
if (failures > 0) {
  console.error(`\ncheck-packages: ${failures} finding(s) above`);
  process.exit(1);
}
console.log(`\ncheck-packages: ${folders.length} packages clean under publint --strict and attw`);

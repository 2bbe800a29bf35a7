/**
 * The versions a scaffolded project installs are the ones these tests ran: every dependency a
 * template's package.json files name is pinned exactly to the version installed in the monorepo. Exact pins also matter on their own:
 * twilio-run refuses a ranged @twilio/runtime-handler. (`twiml-guard new` turns @twiml-guard/* into ^version.)
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, TEMPLATES_DIR } from './support/bundle-scripts.js';
import { TEMPLATE_CASES } from './support/template-cases.js';

type Manifest = { dependencies?: Record<string, string>; devDependencies?: Record<string, string> };

const manifests = TEMPLATE_CASES.flatMap(({ template }) =>
  ['', 'aws', 'azure', 'gcp', 'twilio'].map((folder) => join(template, folder, 'package.json')),
);

const installedVersion = (name: string): string =>
  (JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;

it('every template has a package.json at its root and in each cloud folder', () => {
  const templates = readdirSync(TEMPLATES_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  expect(templates).toEqual(TEMPLATE_CASES.map((c) => c.template).sort());
  for (const path of manifests) expect(() => readFileSync(join(TEMPLATES_DIR, path))).not.toThrow();
});

it.each(manifests)('%s pins what the tests ran', (path) => {
  const manifest = JSON.parse(readFileSync(join(TEMPLATES_DIR, path), 'utf8')) as Manifest;
  const pinned = { ...manifest.dependencies, ...manifest.devDependencies };
  // @twiml-guard/* resolve to the workspace packages here, whose version the template names too.
  for (const [name, version] of Object.entries(pinned)) expect({ name, version }).toEqual({ name, version: installedVersion(name) });
});

/**
 * `gcloud functions deploy --source=.` uploads what .gcloudignore lets through, and Google's Node.js
 * buildpack then runs the `gcp-build` script if there is one, else `npm run build`. The upload holds
 * the bundle, not the TypeScript sources, so `build` (`tsc && ...`) would fail there: every GCP
 * template sets an empty `gcp-build`, and its `main` (the bundle) is uploaded.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TEMPLATES_DIR } from './support/bundle-scripts.js';
import { TEMPLATE_CASES } from './support/template-cases.js';

describe.each(TEMPLATE_CASES.map((c) => c.template))('%s/gcp', (template) => {
  const manifest = JSON.parse(readFileSync(join(TEMPLATES_DIR, template, 'gcp/package.json'), 'utf8')) as {
    main: string;
    scripts: Record<string, string>;
  };
  const ignored = readFileSync(join(TEMPLATES_DIR, template, 'gcp/.gcloudignore'), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));

  it('uploads no TypeScript, so Cloud Build must not run the tsc build', () => {
    expect(ignored).toEqual(expect.arrayContaining(['*.ts', 'src/']));
    expect(manifest.scripts.build).toMatch(/^tsc /);
    expect(manifest.scripts['gcp-build']).toBe('');
  });

  it('uploads the bundle main points at', () => {
    expect(manifest.main).toBe('dist/index.js');
    expect(ignored.filter((pattern) => pattern === 'dist/' || pattern === '*.js' || manifest.main.startsWith(pattern))).toEqual([]);
  });
});

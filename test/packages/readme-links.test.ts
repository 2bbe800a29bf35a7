/**
 * A package README is read on npm, outside the repository: its links are absolute URLs, anchors, or
 * files the package ships. A relative link into the monorepo (`../../docs/...`) is a dead link there.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './support/packed-packages';

const workspaces = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { workspaces: string[] }).workspaces;

describe.each(workspaces)('%s/README.md', (folder) => {
  const readme = readFileSync(join(ROOT, folder, 'README.md'), 'utf8');
  const shipped = (JSON.parse(readFileSync(join(ROOT, folder, 'package.json'), 'utf8')) as { files?: string[] }).files ?? [];

  it('links only absolute URLs, anchors, or files inside the package', () => {
    const targets = [...readme.matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1] ?? '');
    const broken = targets.filter((target) => {
      if (/^(https?:|mailto:|#)/.test(target)) return false;
      const path = target.replace(/[#?].*$/, '').replace(/^\.\//, '');
      const inPackage = !path.startsWith('../') && shipped.some((entry) => path === entry || path.startsWith(`${entry}/`));
      return !(inPackage && existsSync(join(ROOT, folder, path)));
    });
    expect(broken).toEqual([]);
  });
});

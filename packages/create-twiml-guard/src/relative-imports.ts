/**
 * A cloud folder's files move up one level when it becomes the project root, so their relative
 * imports of the template's shared files (`../handler.js`) must be recomputed. Each relative
 * specifier is resolved where it was written and re-expressed from where the file lands.
 */
import { dirname, relative, resolve } from 'node:path';

/** `from '…'`, `import '…'`, `import('…')`, `require('…')` with a relative specifier. */
const RELATIVE_SPECIFIER = /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*)(['"])(\.{1,2}\/[^'"\n]*)\2/g;

/**
 * @param source the file's text
 * @param sourcePath where the file is in the template (absolute)
 * @param targetPath where it lands in the project (absolute)
 * @param mapPath the project path of a template path, or undefined if it is not copied
 */
export function rewriteRelativeImports(
  source: string,
  sourcePath: string,
  targetPath: string,
  mapPath: (templatePath: string) => string | undefined,
): string {
  return source.replace(RELATIVE_SPECIFIER, (whole, keyword: string, quote: string, specifier: string) => {
    const mapped = mapPath(resolve(dirname(sourcePath), specifier));
    if (mapped === undefined) return whole;
    let rewritten = relative(dirname(targetPath), mapped).split('\\').join('/');
    if (!rewritten.startsWith('.')) rewritten = `./${rewritten}`;
    return `${keyword}${quote}${rewritten}${quote}`;
  });
}

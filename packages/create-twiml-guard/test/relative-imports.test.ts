import { rewriteRelativeImports } from '../src/relative-imports.js';

// A cloud folder file /t/aws/lib/entry.ts lands at /p/lib/entry.ts; the shared /t/shared.ts at /p/shared.ts.
const destinations = new Map([
  ['/t/shared.ts', '/p/shared.ts'],
  ['/t/util.mts', '/p/util.mts'],
  ['/t/aws/lib/entry.ts', '/p/lib/entry.ts'],
  ['/t/aws/lib/near.ts', '/p/lib/near.ts'],
]);
const mapPath = (path: string): string | undefined =>
  destinations.get(path) ?? destinations.get(path.replace(/\.([cm]?)js$/, '.$1ts'))?.replace(/\.([cm]?)ts$/, '.$1js');
const rewrite = (source: string): string => rewriteRelativeImports(source, '/t/aws/lib/entry.ts', '/p/lib/entry.ts', mapPath);

it.each([
  ["import { a } from '../../shared.js';", "import { a } from '../shared.js';"],
  ['export * from "../../util.mjs";', 'export * from "../util.mjs";'],
  ["const m = await import('../../shared.js');", "const m = await import('../shared.js');"],
  ["import '../../shared.js';", "import '../shared.js';"],
  ["const r = require('../../shared.js');", "const r = require('../shared.js');"],
  ["import { n } from './near.js';", "import { n } from './near.js';"],
  // Not part of the project (left for the compiler to report), and bare specifiers: untouched.
  ["import x from '../../../elsewhere.js';", "import x from '../../../elsewhere.js';"],
  ["import { twilioWebhook } from '@twiml-guard/aws-lambda';", "import { twilioWebhook } from '@twiml-guard/aws-lambda';"],
])('%s → %s', (source, expected) => {
  expect(rewrite(source)).toBe(expected);
});

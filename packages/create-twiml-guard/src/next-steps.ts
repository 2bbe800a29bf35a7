/** What to run after scaffolding, printed by `npm create twiml-guard` and `twiml-guard new` alike. */
import { cloudInfo, type Cloud } from './clouds.js';

/** `dir` as the user named it (relative to where they are). */
export function nextSteps(dir: string, cloud: Cloud): string[] {
  const quoted = /^[\w./@-]+$/.test(dir) ? dir : `"${dir.replace(/(["\\$`])/g, '\\$1')}"`;
  return [`cd ${quoted}`, 'npm install', 'npm run build', cloudInfo(cloud).deployCommand];
}

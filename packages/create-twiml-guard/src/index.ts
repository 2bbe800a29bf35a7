/** Scaffolding of one-cloud projects from the twiml-guard templates; `twiml-guard new` uses it too. */
export { CLOUD_INFO, CLOUDS, cloudInfo, isCloud } from './clouds.js';
export type { Cloud, CloudInfo } from './clouds.js';
export { scaffoldProject, listTemplates, cloudsOf } from './scaffold.js';
export type { ScaffoldOptions, ScaffoldResult } from './scaffold.js';
export { ScaffoldError } from './scaffold-error.js';
export { rewritePackageJson, mergeManifests } from './project-manifest.js';
export { projectReadme, DOCS_BASE_URL } from './project-readme.js';
export { nextSteps } from './next-steps.js';
export { findTemplatesDir, shippedTemplatesDirs, TEMPLATES_DIR_ENV } from './templates-dir.js';
export { runCreate, USAGE } from './create-command.js';
export type { CreateIo } from './create-command.js';

/** What the scaffolder, prompts and READMEs need to know about one cloud. */
export interface CloudInfo {
  /** The `--cloud` value and the template's folder name. */
  readonly id: string;
  /** How the cloud is named in prose and prompts. */
  readonly title: string;
  /** The template README's section heading for this cloud starts with this text. */
  readonly readmeHeading: string;
  /** What `npm run build` does in a project for this cloud (a shell comment, one line). */
  readonly buildStep: string;
  /** What deploys a built project, run in its root. */
  readonly deployCommand: string;
  /** Where the function reads the auth token from, once deployed (one line). */
  readonly tokenLocation: string;
  /** How a new token reaches the function after `Promote` at Twilio (one paragraph). */
  readonly rotation: string;
}

/**
 * The clouds a template can be generated for: the one list every prompt, flag check, README and
 * next-steps message reads, so adding a cloud is one entry here plus its folder in each template.
 */
export const CLOUD_INFO = [
  {
    id: 'aws',
    title: 'AWS Lambda + API Gateway HTTP API',
    readmeHeading: 'AWS',
    buildStep: 'typecheck (serverless bundles with esbuild when it packages or deploys)',
    deployCommand: 'npx serverless deploy',
    tokenLocation: 'the Secrets Manager secret the stack creates (TWILIO_AUTH_TOKEN_SECRET_ID)',
    rotation:
      'Store the new token in the secret (`aws secretsmanager put-secret-value`, or the Secrets Manager rotation function the docs describe, which stages it as AWSPENDING first so no webhook is refused).',
  },
  {
    id: 'azure',
    title: 'Azure Functions',
    readmeHeading: 'Azure',
    buildStep: 'typecheck, then bundle (build locally: the upload holds no TypeScript for a remote build)',
    deployCommand: 'func azure functionapp publish <APP_NAME> --no-build',
    tokenLocation:
      'a Key Vault secret (TWILIO_AUTH_TOKEN_KEY_VAULT_URL + TWILIO_AUTH_TOKEN_SECRET_NAME), or the app setting TWILIO_AUTH_TOKEN',
    rotation:
      'Add the new token as a new version of the Key Vault secret (`az keyvault secret set`); the Event Grid rotation function the docs describe stages it before Twilio signs with it, so no webhook is refused.',
  },
  {
    id: 'gcp',
    title: 'Google Cloud Functions (gen2)',
    readmeHeading: 'Google Cloud',
    buildStep: 'typecheck, then bundle',
    deployCommand: 'npm run deploy',
    tokenLocation: 'the Secret Manager secret twilio-auth-token, bound as TWILIO_AUTH_TOKEN by --set-secrets',
    rotation:
      'Add the new token as a new version of the Secret Manager secret (`gcloud secrets versions add`). A secret bound as an environment variable is read when an instance starts: redeploy, or set TWILIO_AUTH_TOKEN_SECRET so the function reads the store itself and accepts the pending token during a rotation.',
  },
  {
    id: 'twilio',
    title: 'Twilio Functions (Serverless)',
    readmeHeading: 'Twilio Functions',
    buildStep: 'typecheck, then bundle',
    deployCommand: 'twilio serverless:deploy',
    tokenLocation: "the service's own context.AUTH_TOKEN (nothing to store)",
    rotation:
      "The function reads context.AUTH_TOKEN, or TWILIO_AUTH_TOKEN plus TWILIO_AUTH_TOKEN_PENDING during a rotation: the rotation guide's command sets them in the order that refuses no webhook.",
  },
  {
    id: 'cloudflare',
    title: 'Cloudflare Workers',
    readmeHeading: 'Cloudflare Workers',
    buildStep: 'typecheck, then bundle (wrangler deploy bundles src/index.ts itself)',
    deployCommand: 'npx wrangler deploy',
    tokenLocation: "a Workers secret (`npx wrangler secret put TWILIO_AUTH_TOKEN`), read from the Worker's env",
    rotation:
      'Put the new token with `npx wrangler secret put TWILIO_AUTH_TOKEN_PENDING` before Twilio promotes it, then move it to TWILIO_AUTH_TOKEN after the promotion; the Worker accepts either while both are set.',
  },
] as const satisfies readonly CloudInfo[];

/** A cloud's id: `aws`, `azure`, `gcp` or `twilio`. */
export type Cloud = (typeof CLOUD_INFO)[number]['id'];

/** Every cloud's id, in the order prompts list them. */
export const CLOUDS: readonly Cloud[] = CLOUD_INFO.map((cloud) => cloud.id);

/** Whether a `--cloud` value names a cloud. */
export function isCloud(name: string): name is Cloud {
  return (CLOUDS as readonly string[]).includes(name);
}

/** What there is to know about one cloud. */
export function cloudInfo(cloud: Cloud): CloudInfo {
  return CLOUD_INFO.find((info) => info.id === cloud) as CloudInfo;
}

/**
 * Secret Manager names a project two ways: by ID (`projects/my-project/secrets/S`, what Terraform's
 * `google_secret_manager_secret.id` and most configuration hold) and by NUMBER
 * (`projects/123456789012/secrets/S`, what the API returns in `name` fields and what it publishes in the
 * Pub/Sub `secretId` attribute). A function cannot turn one into the other by itself: the number is
 * known only from configuration, the metadata server, or a Secret Manager answer about the secret.
 */

export interface SecretResource {
  readonly project: string;
  readonly secret: string;
}

const SECRET_RESOURCE = /^projects\/([^/]+)\/secrets\/([^/]+)(?:\/versions\/[^/]+)?$/;

/** `projects/P/secrets/S` (optionally `/versions/V`), or undefined. */
export function parseSecretResource(name: string | null | undefined): SecretResource | undefined {
  const match = name ? SECRET_RESOURCE.exec(name) : null;
  return match ? { project: match[1] as string, secret: match[2] as string } : undefined;
}

/** A project number is all digits; a project ID must start with a letter. */
export function isProjectNumber(project: string): boolean {
  return /^\d+$/.test(project);
}

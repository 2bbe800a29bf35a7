/**
 * Each template's README names what its code really is: the deploy command of every platform, the
 * function/entry names and the webhook URL to paste into the Twilio console, so docs and code cannot drift.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TEMPLATES_DIR } from './support/bundle-scripts.js';
import { TEMPLATE_CASES } from './support/template-cases.js';

describe.each(TEMPLATE_CASES.map((c) => [c.template, c] as const))('%s/README.md', (template, { fn, path }) => {
  const readme = readFileSync(join(TEMPLATES_DIR, template, 'README.md'), 'utf8');
  const gcpDeploy = (JSON.parse(readFileSync(join(TEMPLATES_DIR, template, 'gcp/package.json'), 'utf8')) as { scripts: { deploy: string } })
    .scripts.deploy;

  it('gives the deploy command of each platform', () => {
    for (const command of [
      'npx serverless deploy',
      'func azure functionapp publish <APP_NAME>',
      `gcloud functions deploy ${template} --gen2`,
      'twilio serverless:deploy',
    ])
      expect(readme).toContain(command);
    // The README's gcloud line is the gcp folder's deploy script, bound secret included.
    expect(gcpDeploy).toContain(`gcloud functions deploy ${template} --gen2 --runtime=nodejs22`);
    expect(gcpDeploy).toContain('--set-secrets=TWILIO_AUTH_TOKEN=twilio-auth-token:latest');
    expect(readme).toContain(`--entry-point=${fn}`);
  });

  it('gives the exact webhook URL of each platform', () => {
    expect(readme).toContain(`https://<api-id>.execute-api.<region>.amazonaws.com${path}`);
    expect(readme).toContain(`https://<APP_NAME>.azurewebsites.net/api/${fn}`);
    expect(readme).toContain(`https://us-central1-<PROJECT>.cloudfunctions.net/${template}`);
    expect(readme).toContain(`https://${template}-<1234>-dev.twil.io${path}`);
  });

  it("reads the secret's ARN back from the stack and output serverless.yml really creates", () => {
    const serverlessYml = readFileSync(join(TEMPLATES_DIR, template, 'aws/serverless.yml'), 'utf8');
    const service = /^service: (\S+)$/m.exec(serverlessYml)?.[1];
    const outputKey = /OutputKey=='(\w+)'/.exec(readme)?.[1];
    expect(readme).toContain(`--stack-name ${service ?? '(no service)'}-dev --region us-east-1`);
    expect(outputKey).toBe('TwilioAuthTokenSecretArn');
    expect(serverlessYml).toMatch(
      new RegExp(`^ +${outputKey ?? '(none)'}:\\n +Description: .*\\n +Value: !Ref TwilioAuthTokenSecret$`, 'm'),
    );
    expect(readme).toContain('put-secret-value --region us-east-1 --secret-id "$SECRET_ARN"');
    // The token goes in on stdin: a --secret-string argument would show in `ps` and the shell history.
    expect(readme).toContain(
      '"$TWILIO_AUTH_TOKEN" | \\\n  aws secretsmanager put-secret-value --region us-east-1 --secret-id "$SECRET_ARN" --secret-string file:///dev/stdin',
    );
    expect(readme).not.toMatch(/--secret-string '/);
  });

  it('runs the Azure function locally with Core Tools, and the example settings check the URL it sends to', () => {
    const localUrl = `http://localhost:7071/api/${fn}`;
    expect(readme).toContain('npm install -g azure-functions-core-tools@4');
    expect(readme).toContain('cp local.settings.json.example local.settings.json');
    expect(readme).toContain(`npx twiml-guard send ${localUrl} --preset`);
    const settings = JSON.parse(readFileSync(join(TEMPLATES_DIR, template, 'azure/local.settings.json.example'), 'utf8')) as {
      Values: Record<string, string>;
    };
    // The adapter checks PUBLIC_BASE_URL + the platform path (/api/<fn>): it must be the URL the README sends to.
    expect(`${settings.Values.PUBLIC_BASE_URL ?? '(none)'}/api/${fn}`).toBe(localUrl);
    expect(readme).not.toMatch(/cannot be installed|a host that builds/);
  });

  it('says where the token goes on each platform', () => {
    for (const where of ['Secrets Manager', 'TWILIO_AUTH_TOKEN_KEY_VAULT_URL', '--set-secrets=TWILIO_AUTH_TOKEN', 'context.AUTH_TOKEN'])
      expect(readme).toContain(where);
  });
});

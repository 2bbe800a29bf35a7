// The commands of the deploy guides (docs/deploy/*.md), built from the real template and IaC files:
// every output, parameter, variable, resource, function and context key a command names is looked
// up in the file that defines it, so a renamed output or a typo fails here (and in the test that
// checks each guide carries these blocks verbatim: test/infra/deploy-commands.test.ts).
//
//   node scripts/deploy-commands.mjs [aws|azure|gcp|twilio]
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const TEMPLATE = 'sms-auto-reply';

const read = (/** @type {string} */ path) => readFileSync(join(ROOT, path), 'utf8');

/**
 * Fails with the file and the name when `pattern` does not occur: the name is returned as written.
 * @param {string} path
 * @param {string} text
 * @param {string} name
 * @param {RegExp} pattern
 * @param {string} what
 */
function requireName(path, text, name, pattern, what) {
  if (!pattern.test(text)) throw new Error(`${path}: no ${what} "${name}"`);
  return name;
}

const escapeRegExp = (/** @type {string} */ name) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The lines of a YAML block: the key line at `indent`, up to the next line indented as little.
 * @param {string} path
 * @param {string} text
 * @param {string} key
 * @param {number} indent
 */
function yamlBlock(path, text, key, indent) {
  const lines = text.split('\n');
  const start = lines.findIndex((line) => line === `${' '.repeat(indent)}${key}:` || line === `${' '.repeat(indent)}- ${key}:`);
  if (start === -1) throw new Error(`${path}: no "${key}:" block`);
  const end = lines.findIndex(
    (line, index) => index > start && line.trim() !== '' && !line.trim().startsWith('#') && line.search(/\S/) <= indent,
  );
  return lines.slice(start + 1, end === -1 ? undefined : end).join('\n');
}

/**
 * A key of a CloudFormation template section (Parameters, Resources, Outputs), read from the YAML.
 * @param {string} path
 * @param {string} section
 * @param {string} name
 */
export function cfnName(path, section, name) {
  return requireName(path, yamlBlock(path, read(path), section, 0), name, new RegExp(`^  ${escapeRegExp(name)}:`, 'm'), `${section} entry`);
}

/**
 * @param {string} dir
 * @param {string} kind
 * @param {string} name
 */
export function tfName(dir, kind, name) {
  const text = readdirSync(join(ROOT, dir))
    .filter((file) => file.endsWith('.tf'))
    .map((file) => read(join(dir, file)))
    .join('\n');
  return requireName(dir, text, name, new RegExp(`^${kind} "${escapeRegExp(name)}"`, 'm'), kind);
}

/**
 * @param {string} path
 * @param {string} kind
 * @param {string} name
 */
export function bicepName(path, kind, name) {
  return requireName(path, read(path), name, new RegExp(`^${kind} ${escapeRegExp(name)} `, 'm'), kind);
}

/**
 * serverless.yml: the service, a function of the list, an output, a param default.
 * @param {string} path
 * @param {'service' | 'function' | 'output' | 'param'} kind
 * @param {string} name
 */
export function slsName(path, kind, name) {
  const text = read(path);
  if (kind === 'service') return requireName(path, text, name, new RegExp(`^service: ${escapeRegExp(name)}$`, 'm'), 'service');
  if (kind === 'function')
    return requireName(path, yamlBlock(path, text, 'functions', 0), name, new RegExp(`^  - ${escapeRegExp(name)}:`, 'm'), 'function');
  if (kind === 'output')
    return requireName(path, yamlBlock(path, text, 'Outputs', 4), name, new RegExp(`^      ${escapeRegExp(name)}:`, 'm'), 'output');
  if (kind === 'param')
    return requireName(path, yamlBlock(path, text, 'default', 2), name, new RegExp(`^    ${escapeRegExp(name)}:`, 'm'), 'param');
  throw new Error(`unknown kind ${kind}`);
}

/** @param {string} name */
export function cdkOutput(name) {
  const path = 'infra/aws/cdk/lib/twilio-webhook-stack.ts';
  return requireName(path, read(path), name, new RegExp(`new CfnOutput\\(this, '${escapeRegExp(name)}'`), 'CfnOutput');
}

/** @param {string} name */
export function cdkContext(name) {
  const path = 'infra/aws/cdk/bin/app.ts';
  return requireName(path, read(path), name, new RegExp(`context\\('${escapeRegExp(name)}'\\)`), 'context key');
}

/**
 * A script of a template's cloud folder package.json; the guide runs it by name.
 * @param {string} cloud
 * @param {string} name
 */
export function templateScript(cloud, name) {
  const path = `templates/${TEMPLATE}/${cloud}/package.json`;
  const scripts = JSON.parse(read(path)).scripts ?? {};
  if (!(name in scripts)) throw new Error(`${path}: no "${name}" script`);
  return name;
}

/**
 * An exported entry point of a template's source file.
 * @param {string} path
 * @param {string} name
 */
export function templateExport(path, name) {
  return requireName(path, read(path), name, new RegExp(`^export const ${escapeRegExp(name)} =`, 'm'), 'export');
}

/**
 * The zips `npm run package:infra` writes.
 * @param {string} name
 */
export function infraZip(name) {
  return requireName(
    'scripts/package-infra.mjs',
    read('scripts/package-infra.mjs'),
    name,
    new RegExp(`zip: '${escapeRegExp(name)}'`),
    'zip',
  );
}

const stackOutput = (/** @type {string} */ stack, /** @type {string} */ key) =>
  `$(aws cloudformation describe-stacks --stack-name "${stack}" --query "Stacks[0].Outputs[?OutputKey=='${key}'].OutputValue" --output text)`;

// The token reaches the CLI on stdin (printf is a shell builtin): an argument would show in `ps`.
const putSecret = `printf '{"accountSid":"%s","authToken":"%s"}' "$TWILIO_ACCOUNT_SID" "$TWILIO_AUTH_TOKEN" | \\
  aws secretsmanager put-secret-value --secret-id "$SECRET_ARN" --secret-string file:///dev/stdin`;

/** The shared steps: who you are, the token kept out of the shell history. */
const ACCOUNT = `export TWILIO_ACCOUNT_SID=AC0123456789abcdef0123456789abcdef   # yours: console.twilio.com
export TWILIO_NUMBER=+15551234567                                  # the number that should answer
read -rs TWILIO_AUTH_TOKEN && export TWILIO_AUTH_TOKEN             # paste the auth token, then Enter`;

const TWILIO_WIRE = `twilio phone-numbers:update "$TWILIO_NUMBER" --sms-url "$WEBHOOK_URL" --sms-method POST`;

const TEST = `npx -p @twiml-guard/testing twiml-guard send "$WEBHOOK_URL" --preset sms --param To="$TWILIO_NUMBER"
npx -p @twiml-guard/testing twiml-guard send "$WEBHOOK_URL" --preset sms --forge   # must answer 403`;

function aws() {
  const sls = `templates/${TEMPLATE}/aws/serverless.yml`;
  const service = slsName(sls, 'service', TEMPLATE);
  const fn = slsName(sls, 'function', 'sms');
  const stack = `${service}-dev`;
  const http = 'infra/aws/cloudformation/http-api.yaml';
  const tf = 'infra/aws/terraform';
  const cfnStack = 'twiml-guard-sms';
  return [
    { id: 'account', text: ACCOUNT },
    {
      id: 'serverless',
      text: `npm install
npx serverless deploy --stage dev --region us-east-1
export AWS_REGION=us-east-1
SECRET_ARN=${stackOutput(stack, slsName(sls, 'output', 'TwilioAuthTokenSecretArn'))}
WEBHOOK_URL=${stackOutput(stack, slsName(sls, 'output', 'WebhookUrl'))}
${putSecret}`,
    },
    { id: 'serverless-logs', text: `npx serverless logs --function ${fn} --stage dev --region us-east-1 --tail` },
    {
      id: 'serverless-rotation',
      text: `npm install twilio
npx serverless deploy --stage dev --region us-east-1 --param="${slsName(sls, 'param', 'rotation')}=true"
aws secretsmanager rotate-secret --secret-id "$SECRET_ARN"`,
    },
    {
      id: 'cloudformation',
      text: `npm ci && npm run build && npm run package:infra
export AWS_REGION=us-east-1
BUCKET=twiml-guard-code-$(aws sts get-caller-identity --query Account --output text)-$AWS_REGION
aws s3 mb "s3://$BUCKET"
VERSION=$(date +%Y%m%d%H%M%S)
aws s3 cp dist/${infraZip('sms-auto-reply.zip')} "s3://$BUCKET/$VERSION/sms-auto-reply.zip"
aws s3 cp dist/${infraZip('rotation.zip')} "s3://$BUCKET/$VERSION/rotation.zip"
aws cloudformation deploy --stack-name ${cfnStack} \\
  --template-file ${http} \\
  --capabilities CAPABILITY_IAM \\
  --parameter-overrides ${cfnName(http, 'Parameters', 'CodeS3Bucket')}="$BUCKET" \\
    ${cfnName(http, 'Parameters', 'WebhookCodeS3Key')}="$VERSION/sms-auto-reply.zip" \\
    ${cfnName(http, 'Parameters', 'RotationCodeS3Key')}="$VERSION/rotation.zip" \\
    ${cfnName(http, 'Parameters', 'TwilioAccountSid')}="$TWILIO_ACCOUNT_SID" \\
    ${cfnName(http, 'Parameters', 'WebhookPath')}=/sms
SECRET_ARN=${stackOutput(cfnStack, cfnName(http, 'Outputs', 'SecretArn'))}
WEBHOOK_URL=${stackOutput(cfnStack, cfnName(http, 'Outputs', 'WebhookUrl'))}
${putSecret}`,
    },
    {
      id: 'cloudformation-logs',
      text: `aws logs tail "/aws/lambda/$(aws cloudformation describe-stacks --stack-name "${cfnStack}" --query "Stacks[0].Outputs[?OutputKey=='${cfnName(http, 'Outputs', 'WebhookFunctionName')}'].OutputValue" --output text)" --follow`,
    },
    {
      id: 'cdk',
      text: `npm ci && npm run build && npm run package:infra
cd infra/aws/cdk
export AWS_REGION=us-east-1 CDK_DEFAULT_REGION=us-east-1
export CDK_DEFAULT_ACCOUNT=$(aws sts get-caller-identity --query Account --output text)
npx cdk bootstrap aws://$CDK_DEFAULT_ACCOUNT/$CDK_DEFAULT_REGION
npx cdk deploy \\
  -c ${cdkContext('twilioAccountSid')}="$TWILIO_ACCOUNT_SID" \\
  -c ${cdkContext('webhookCodePath')}=../../../dist/sms-auto-reply.zip \\
  -c ${cdkContext('rotationCodePath')}=../../../dist/rotation.zip \\
  --outputs-file cdk-outputs.json
SECRET_ARN=$(node -p "require('./cdk-outputs.json').TwimlGuardWebhook.${cdkOutput('SecretArn')}")
WEBHOOK_URL=$(node -p "require('./cdk-outputs.json').TwimlGuardWebhook.${cdkOutput('WebhookUrl')}")
${putSecret}`,
    },
    {
      id: 'cdk-logs',
      text: `aws logs tail "$(node -p "require('./cdk-outputs.json').TwimlGuardWebhook.${cdkOutput('WebhookLogGroupName')}")" --follow`,
    },
    {
      id: 'terraform',
      text: `npm ci && npm run build && npm run package:infra
cd infra/aws/terraform
terraform init
terraform plan -out tfplan -var "${tfName(tf, 'variable', 'twilio_account_sid')}=$TWILIO_ACCOUNT_SID" -var ${tfName(tf, 'variable', 'region')}=us-east-1
terraform apply tfplan
export AWS_REGION=us-east-1
SECRET_ARN=$(terraform output -raw ${tfName(tf, 'output', 'secret_arn')})
WEBHOOK_URL=$(terraform output -raw ${tfName(tf, 'output', 'webhook_url')})
${putSecret}`,
    },
    {
      id: 'terraform-logs',
      text: `aws logs tail "/aws/lambda/$(terraform output -raw ${tfName(tf, 'output', 'webhook_function_name')})" --follow`,
    },
    { id: 'rotate-now', text: 'aws secretsmanager rotate-secret --secret-id "$SECRET_ARN"' },
    { id: 'twilio-wire', text: TWILIO_WIRE },
    { id: 'test', text: TEST },
  ];
}

function azure() {
  const bicep = 'infra/azure/main.bicep';
  const output = (/** @type {string} */ name) =>
    `$(az deployment group show -g "$RG" -n main --query properties.outputs.${bicepName(bicep, 'output', name)}.value -o tsv)`;
  return [
    { id: 'account', text: ACCOUNT },
    {
      id: 'bicep',
      text: `npm ci && npm run build && npm run package:infra
RG=twiml-guard
az group create -n "$RG" -l eastus
az bicep build --file ${bicep}
TOKEN_PARAMS=$(mktemp)   # mode 600: the token goes to az in a file, not as an argument \`ps\` shows
printf '{"${bicepName(bicep, 'param', 'twilioAuthToken')}":{"value":"%s"}}' "$TWILIO_AUTH_TOKEN" > "$TOKEN_PARAMS"
az deployment group create -g "$RG" -n main -f ${bicep} -p @"$TOKEN_PARAMS" \\
  -p ${bicepName(bicep, 'param', 'twilioAccountSid')}="$TWILIO_ACCOUNT_SID" ${bicepName(bicep, 'param', 'deployRotationSubscription')}=false
rm -f "$TOKEN_PARAMS"
WEBHOOK_APP=${output('webhookAppName')}
ROTATION_APP=${output('rotationAppName')}
WEBHOOK_URL=${output('webhookUrl')}`,
    },
    {
      id: 'publish',
      text: `npm install
npm run ${templateScript('azure', 'build')}
rm -rf deploy webhook.zip && mkdir deploy && cp -r host.json package.json package-lock.json dist deploy/
npm ci --omit=dev --prefix deploy
(cd deploy && zip -qr ../webhook.zip .)
az functionapp deployment source config-zip -g "$RG" -n "$WEBHOOK_APP" --src webhook.zip`,
    },
    {
      id: 'rotation',
      text: `az functionapp deployment source config-zip -g "$RG" -n "$ROTATION_APP" --src dist/${infraZip('azure-rotation.zip')} --build-remote true
az deployment group create -g "$RG" -n main -f ${bicep} \\
  -p ${bicepName(bicep, 'param', 'twilioAccountSid')}="$TWILIO_ACCOUNT_SID" ${bicepName(bicep, 'param', 'createSecret')}=false ${bicepName(bicep, 'param', 'deployRotationSubscription')}=true`,
    },
    {
      id: 'logs',
      text: `az monitor app-insights query -g "$RG" --app ${output('appInsightsName')} \\
  --analytics-query "traces | where timestamp > ago(30m) | where message has 'twiml-guard' | project timestamp, message | order by timestamp desc"`,
    },
    {
      id: 'local',
      text: `cp local.settings.json.example local.settings.json   # put your test token in it
npm run ${templateScript('azure', 'start')}                                      # npm run bundle && func start
TWILIO_AUTH_TOKEN=... npx -p @twiml-guard/testing twiml-guard send http://localhost:7071/api/sms --preset sms`,
    },
    { id: 'twilio-wire', text: TWILIO_WIRE },
    { id: 'test', text: TEST },
  ];
}

function gcp() {
  const tf = 'infra/gcp';
  const entry = templateExport(`templates/${TEMPLATE}/gcp/src/index.ts`, 'sms');
  return [
    { id: 'account', text: ACCOUNT },
    {
      id: 'gcloud',
      text: `export PROJECT=my-project REGION=us-central1
gcloud config set project "$PROJECT"
gcloud services enable cloudfunctions.googleapis.com run.googleapis.com cloudbuild.googleapis.com \\
  artifactregistry.googleapis.com secretmanager.googleapis.com
printf %s "$TWILIO_AUTH_TOKEN" | gcloud secrets create twilio-auth-token --data-file=-
PROJECT_NUMBER=$(gcloud projects describe "$PROJECT" --format='value(projectNumber)')
gcloud secrets add-iam-policy-binding twilio-auth-token \\
  --member="serviceAccount:$PROJECT_NUMBER-compute@developer.gserviceaccount.com" \\
  --role=roles/secretmanager.secretAccessor
npm install
npm run ${templateScript('gcp', 'bundle')}
gcloud functions deploy sms-auto-reply --gen2 --runtime=nodejs22 --region="$REGION" --source=. \\
  --entry-point=${entry} --trigger-http --allow-unauthenticated \\
  --set-secrets=TWILIO_AUTH_TOKEN=twilio-auth-token:latest
WEBHOOK_URL=$(gcloud functions describe sms-auto-reply --gen2 --region="$REGION" --format='value(serviceConfig.uri)')`,
    },
    { id: 'gcloud-logs', text: 'gcloud functions logs read sms-auto-reply --gen2 --region="$REGION" --limit=50' },
    {
      id: 'terraform',
      text: `npm ci && npm run build && npm run package:infra
cd infra/gcp
terraform init
terraform plan -out tfplan -var "${tfName(tf, 'variable', 'project_id')}=$PROJECT" -var ${tfName(tf, 'variable', 'region')}=us-central1 \\
  -var "${tfName(tf, 'variable', 'first_rotation_time')}=$(date -u -d '+1 day' +%Y-%m-%dT%H:%M:%SZ)"
terraform apply tfplan
printf %s "{\\"accountSid\\":\\"$TWILIO_ACCOUNT_SID\\",\\"authToken\\":\\"$TWILIO_AUTH_TOKEN\\"}" | \\
  gcloud secrets versions add "$(terraform output -raw ${tfName(tf, 'output', 'secret_id')})" --data-file=-
WEBHOOK_URL=$(terraform output -raw ${tfName(tf, 'output', 'webhook_url')})`,
    },
    {
      id: 'terraform-logs',
      text: `gcloud functions logs read "$(terraform output -raw ${tfName(tf, 'output', 'webhook_function_name')})" --gen2 --region=us-central1 --limit=50`,
    },
    { id: 'twilio-wire', text: TWILIO_WIRE },
    { id: 'test', text: TEST },
  ];
}

function twilio() {
  return [
    { id: 'account', text: ACCOUNT },
    {
      id: 'cli',
      text: `npm install -g twilio-cli
twilio login
twilio plugins:install @twilio-labs/plugin-serverless`,
    },
    {
      id: 'deploy',
      text: `npm install
npm run ${templateScript('twilio', 'bundle')}
twilio serverless:deploy`,
    },
    { id: 'url', text: 'WEBHOOK_URL=https://sms-auto-reply-1234-dev.twil.io/sms   # the URL serverless:deploy printed for /sms' },
    { id: 'logs', text: 'twilio serverless:logs --tail' },
    {
      id: 'local',
      text: `cp .env.example .env   # ACCOUNT_SID and AUTH_TOKEN
npm run ${templateScript('twilio', 'start')}
TWILIO_AUTH_TOKEN=... npx -p @twiml-guard/testing twiml-guard send http://localhost:3000/sms --preset sms`,
    },
    { id: 'twilio-wire', text: TWILIO_WIRE },
    { id: 'test', text: TEST },
  ];
}

export const CLOUDS = { aws, azure, gcp, twilio };

/** cloud → [{ id, text }]: the shell blocks its guide carries verbatim. */
export function deployCommands() {
  return Object.fromEntries(Object.entries(CLOUDS).map(([cloud, build]) => [cloud, build()]));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const only = process.argv[2];
  if (only !== undefined && !(only in CLOUDS)) {
    process.stderr.write(`unknown cloud "${only}" (clouds: ${Object.keys(CLOUDS).join(', ')})\n`);
    process.exit(2);
  }
  for (const [cloud, blocks] of Object.entries(deployCommands())) {
    if (only !== undefined && cloud !== only) continue;
    for (const block of blocks) process.stdout.write(`# ${cloud}: ${block.id}\n${block.text}\n\n`);
  }
}

/** A tiny template tree in a temp dir, shaped like templates/<name>/{handler.ts, package.json, README.md, aws/, gcp/}. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export const FAKE_README = `# hello-sms

Says hi.

## Check it

Send it a signed request.

## AWS (Lambda)

\`\`\`sh
cd aws
npx serverless deploy
\`\`\`

- Webhook URL: https://<api-id>.execute-api.<region>.amazonaws.com/sms

## Google Cloud (gen2)

\`\`\`sh
cd gcp
npm run deploy
\`\`\`

## In this repository

The layout: aws/, gcp/ and ../../packages.
`;

export function makeFakeTemplates(): string {
  const root = mkdtempSync(join(tmpdir(), 'twiml-guard-templates-'));
  const files: Record<string, string> = {
    'hello-sms/handler.ts': "export const handler = () => '<Response><Message>hi</Message></Response>';\n",
    'hello-sms/README.md': FAKE_README,
    'hello-sms/.gitignore': 'node_modules/\n',
    'hello-sms/package.json': JSON.stringify(
      { name: 'template-hello-sms', private: true, dependencies: { '@twiml-guard/core': '*' } },
      null,
      2,
    ),
    'hello-sms/aws/index.ts': "import { handler } from '../handler.js';\nexport default handler;\n",
    'hello-sms/aws/serverless.yml': 'service: hello-sms\n',
    'hello-sms/aws/package.json': JSON.stringify(
      {
        name: 'hello-sms-aws',
        dependencies: { '@twiml-guard/aws-lambda': 'file:../../../packages/aws-lambda', '@middy/core': '6.4.5' },
        devDependencies: { '@twiml-guard/testing': '0.0.0', esbuild: '0.28.2' },
      },
      null,
      4,
    ),
    'hello-sms/aws/handler.test.ts': "import '../../../test/support';\n",
    'hello-sms/aws/node_modules/junk/index.js': '',
    'hello-sms/aws/.serverless/state.json': '{}',
    'hello-sms/gcp/index.ts': "import { handler } from '../handler.js';\n",
    'hello-sms/gcp/src/functions/hi.ts': "import { handler } from '../../../handler.js';\nimport './local.js';\nexport { handler };\n",
    'hello-sms/gcp/src/functions/local.ts': 'export {};\n',
    'hello-sms/gcp/.gitignore': '/functions/\n',
    'hello-sms/gcp/functions/built.protected.js': 'built output\n',
    'hello-sms/gcp/package.json': '{"name":"hello-sms-gcp","description":"hi on GCP","scripts":{"build":"tsc"}}',
  };
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

/**
 * infra/azure/*.bicep, checked lexically: the Bicep compiler is a native binary download the tests do not depend on,
 * so these tests check bracket balance and what the declarations say (resource types, roles, scopes,
 * the event filter, the env contract). They cannot catch type errors or wrong API-version schemas.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { outlineBicep, type BicepDeclaration, type BicepOutline } from './support/bicep-outline.js';

const azureDir = join(__dirname, '../../infra/azure');
const mainText = readFileSync(join(azureDir, 'main.bicep'), 'utf8');
const moduleText = readFileSync(join(azureDir, 'modules/function-app.bicep'), 'utf8');
const main = outlineBicep(mainText);
const functionApp = outlineBicep(moduleText);

const keyVaultSecretsUser = '4633458b-17de-408a-b874-0445c86b69e6';
const keyVaultSecretsOfficer = 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7';

function declaration(outline: BicepOutline, symbol: string): BicepDeclaration {
  const found = outline.declarations.find((d) => d.symbol === symbol);
  if (!found) throw new Error(`${symbol} not declared`);
  return found;
}

const typesOf = (outline: BicepOutline) => outline.declarations.filter((d) => d.kind === 'resource').map((d) => d.target.split('@')[0]);

describe('lexical shape', () => {
  it('has balanced brackets, strings and comments in both files', () => {
    expect(main.problems).toEqual([]);
    expect(functionApp.problems).toEqual([]);
  });

  it.each([
    ['a dropped closing brace', '\n}\n\nresource secret', '\n\nresource secret'],
    ['an unterminated string', "topicType: 'Microsoft.KeyVault.vaults'", "topicType: 'Microsoft.KeyVault.vaults"],
    ['a stray bracket', 'maxEventsPerBatch: 1', 'maxEventsPerBatch: [1'],
  ])('notices %s (the check can fail)', (_what, from, to) => {
    const broken = mainText.replace(from, to);
    expect(broken).not.toBe(mainText);
    expect(outlineBicep(broken).problems).not.toEqual([]);
  });

  it('refers only to modules that exist', () => {
    for (const module of main.declarations.filter((d) => d.kind === 'module')) {
      expect(existsSync(join(azureDir, module.target))).toBe(true);
    }
  });

  it('pins an API version on every resource', () => {
    for (const resource of [...main.declarations, ...functionApp.declarations].filter((d) => d.kind === 'resource')) {
      expect(resource.target).toMatch(/^[A-Za-z.]+\/[A-Za-z/]+@\d{4}-\d{2}-\d{2}(-preview)?$/);
    }
  });
});

describe('main.bicep', () => {
  it('declares the Key Vault, the secret, role assignments and the Event Grid system topic + subscription', () => {
    expect(typesOf(main)).toEqual(
      expect.arrayContaining([
        'Microsoft.KeyVault/vaults',
        'Microsoft.KeyVault/vaults/secrets',
        'Microsoft.Authorization/roleAssignments',
        'Microsoft.EventGrid/systemTopics',
        'Microsoft.EventGrid/systemTopics/eventSubscriptions',
      ]),
    );
  });

  it('uses Key Vault RBAC, not access policies', () => {
    const vault = declaration(main, 'vault').text;
    expect(vault).toMatch(/enableRbacAuthorization: true/);
    expect(vault).not.toMatch(/accessPolicies/);
  });

  it('gives the secret an expiry, so SecretNearExpiry can fire', () => {
    expect(declaration(main, 'secret').text).toMatch(/exp: secretExpiresAt/);
    expect(declaration(main, 'secretExpiresAt').text).toMatch(/dateTimeToEpoch\(dateTimeAdd\(baseTime, 'P\$\{secretValidityDays\}D'\)\)/);
  });

  it('grants Key Vault Secrets User to the webhook and Secrets Officer to the rotation app, scoped to the secret', () => {
    const webhookGrant = declaration(main, 'webhookReadsSecret').text;
    expect(webhookGrant).toContain('keyVaultSecretsUserRoleId');
    expect(webhookGrant).toContain('principalId: webhookApp.outputs.principalId');
    expect(webhookGrant).toMatch(/scope: secretByName\n/);
    const rotationGrant = declaration(main, 'rotationWritesSecret').text;
    expect(rotationGrant).toContain('keyVaultSecretsOfficerRoleId');
    expect(rotationGrant).toContain('principalId: rotationApp.outputs.principalId');
    expect(rotationGrant).toMatch(/scope: secretByName\n/);
    expect(declaration(main, 'keyVaultSecretsUserRoleId').text).toContain(keyVaultSecretsUser);
    expect(declaration(main, 'keyVaultSecretsOfficerRoleId').text).toContain(keyVaultSecretsOfficer);
    // Exactly these two Key Vault grants: nothing at vault scope.
    expect(main.declarations.filter((d) => d.target.startsWith('Microsoft.Authorization/roleAssignments'))).toHaveLength(2);
  });

  it('subscribes the rotation function to SecretNearExpiry of exactly that secret', () => {
    expect(declaration(main, 'vaultEvents').text).toMatch(/source: vault\.id[\s\S]*topicType: 'Microsoft\.KeyVault\.vaults'/);
    const subscription = declaration(main, 'nearExpiry').text;
    expect(subscription).toContain("endpointType: 'AzureFunction'");
    expect(subscription).toContain("resourceId: '${rotationApp.outputs.id}/functions/${rotationFunctionName}'");
    // SecretNearExpiry comes once per version; SecretExpired is the second chance when that rotation failed for good.
    expect(subscription).toMatch(
      /includedEventTypes: \[\s*'Microsoft\.KeyVault\.SecretNearExpiry'\s*'Microsoft\.KeyVault\.SecretExpired'\s*\]/,
    );
    expect(subscription).toContain('subjectBeginsWith: secretName');
    expect(subscription).toContain('subjectEndsWith: secretName');
  });

  it('retries a failed delivery and dead-letters what it gives up on into a storage container, with the topic identity', () => {
    const subscription = declaration(main, 'nearExpiry').text;
    expect(subscription).toMatch(/retryPolicy: \{\s*maxDeliveryAttempts: \d+\s*eventTimeToLiveInMinutes: \d+\s*\}/);
    expect(subscription).toMatch(
      /deadLetterWithResourceIdentity: \{\s*identity: \{\s*type: 'SystemAssigned'\s*\}\s*deadLetterDestination: \{\s*endpointType: 'StorageBlob'\s*properties: \{\s*resourceId: deadLetters\.outputs\.storageAccountId\s*blobContainerName: deadLetters\.outputs\.containerName\s*\}/,
    );
    // The topic's identity writes the dead letters: it must exist before the subscription uses it.
    expect(declaration(main, 'vaultEvents').text).toMatch(/identity: \{\s*type: 'SystemAssigned'\s*\}/);
    const deadLetters = declaration(main, 'deadLetters');
    expect(deadLetters.target).toBe('modules/dead-letter-storage.bicep');
    expect(deadLetters.text).toContain('writerPrincipalId: vaultEvents.identity.principalId');
    expect(subscription).toMatch(/dependsOn: \[\s*deadLetters\s*\]/);
  });

  it('tells both apps where the token is with TWILIO_AUTH_TOKEN_KEY_VAULT_URL and TWILIO_AUTH_TOKEN_SECRET_NAME', () => {
    for (const app of ['webhookApp', 'rotationApp']) {
      const text = declaration(main, app).text;
      expect(text).toContain('TWILIO_AUTH_TOKEN_KEY_VAULT_URL: vault.properties.vaultUri');
      expect(text).toContain('TWILIO_AUTH_TOKEN_SECRET_NAME: secretName');
    }
  });

  it('gives the rotation app the validity of the first version (TWILIO_AUTH_TOKEN_VALIDITY_DAYS), which stays above the 30 days of SecretNearExpiry', () => {
    expect(declaration(main, 'rotationApp').text).toContain('TWILIO_AUTH_TOKEN_VALIDITY_DAYS: string(secretValidityDays)');
    expect(mainText).toMatch(/@minValue\(31\)\s*param secretValidityDays int/);
  });

  it('outputs the webhook URL (the sms function under /api), the secret URI and the Application Insights name', () => {
    expect(declaration(main, 'webhookUrl').text).toContain("'https://${webhookApp.outputs.defaultHostName}/api/sms'");
    expect(declaration(main, 'secretUri').text).toContain("'${vault.properties.vaultUri}secrets/${secretName}'");
    expect(declaration(main, 'appInsightsName').text).toContain('insights.name');
  });

  it('takes the token as a @secure() parameter and never outputs it', () => {
    expect(mainText).toMatch(/@secure\(\)\nparam twilioAuthToken string/);
    for (const output of main.declarations.filter((d) => d.kind === 'output')) expect(output.text).not.toContain('twilioAuthToken');
  });
});

describe('modules/dead-letter-storage.bicep', () => {
  const text = readFileSync(join(azureDir, 'modules/dead-letter-storage.bicep'), 'utf8');
  const outline = outlineBicep(text);

  it('is balanced, keyless, holds the container and lets only the topic identity write blobs', () => {
    expect(outline.problems).toEqual([]);
    expect(declaration(outline, 'storage').text).toContain('allowSharedKeyAccess: false');
    expect(declaration(outline, 'container').target).toBe('Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01');
    const grant = declaration(outline, 'topicWritesDeadLetters').text;
    expect(grant).toContain('principalId: writerPrincipalId');
    expect(grant).toContain('scope: container');
    expect(declaration(outline, 'storageBlobDataContributorRoleId').text).toContain('ba92f5b4-2d11-453d-a403-e96b0029c9fe');
    expect(outline.declarations.filter((d) => d.kind === 'output').map((d) => d.symbol)).toEqual(
      expect.arrayContaining(['storageAccountId', 'containerName']),
    );
  });
});

describe('modules/function-app.bicep', () => {
  it('is a Linux Flex Consumption app on Node 22 with a system-assigned identity', () => {
    expect(declaration(functionApp, 'plan').text).toMatch(/name: 'FC1'\s*\n\s*tier: 'FlexConsumption'/);
    const app = declaration(functionApp, 'app').text;
    expect(app).toContain("kind: 'functionapp,linux'");
    expect(app).toMatch(/identity: \{\s*type: 'SystemAssigned'\s*\}/);
    expect(app).toMatch(/runtime: \{\s*name: 'node'\s*version: '22'\s*\}/);
  });

  it('reaches its storage with the identity, not account keys', () => {
    expect(declaration(functionApp, 'storage').text).toContain('allowSharedKeyAccess: false');
    expect(declaration(functionApp, 'app').text).toContain("name: 'AzureWebJobsStorage__accountName'");
    expect(declaration(functionApp, 'storageOwner').text).toContain('principalId: app.identity.principalId');
  });
});

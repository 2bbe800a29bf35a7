// twiml-guard on Azure Functions: a webhook Function App and a rotation Function App (Linux, Flex
// Consumption, Node 22, system-assigned identities), a Key Vault in RBAC mode holding the Twilio auth
// token as a secret with an expiry, and an Event Grid system topic that delivers the secret's
// Microsoft.KeyVault.SecretNearExpiry event (30 days before expiry) and SecretExpired event (a second
// chance when the first rotation failed for good) to the rotation function, with retries and a
// dead-letter container for what Event Grid gives up on.
//
// Deploy in two passes: the event subscription validates its destination function, which exists only
// after the rotation code has been published. First pass deployRotationSubscription=false, publish both
// apps, second pass deployRotationSubscription=true createSecret=false.

targetScope = 'resourceGroup'

@description('Azure region for every resource.')
param location string = resourceGroup().location

@description('Prefix for resource names (lower-case letters and digits).')
@minLength(3)
@maxLength(11)
param namePrefix string = 'twimlguard'

@description('Twilio Account SID whose auth token the secret holds.')
param twilioAccountSid string

@description('Current Twilio auth token. Written to Key Vault only; needed only when createSecret is true.')
@secure()
param twilioAuthToken string = ''

@description('Create (overwrite) the secret. Set false on later deployments so a rotated token is not replaced.')
param createSecret bool = true

@description('Key Vault secret name holding {"accountSid","authToken"} JSON.')
param secretName string = 'twilio-auth-token'

@description('Days until the secret expires. SecretNearExpiry fires 30 days before, so rotation runs after (days - 30).')
@minValue(31)
param secretValidityDays int = 90

@description('Start of the validity period; leave the default.')
param baseTime string = utcNow()

@description('Name of the Event Grid-triggered function inside the rotation app.')
param rotationFunctionName string = 'rotateTwilioAuthToken'

@description('Create the SecretNearExpiry subscription (second pass, after the rotation code is published).')
param deployRotationSubscription bool = false

// Built-in roles.
var keyVaultSecretsUserRoleId = '4633458b-17de-408a-b874-0445c86b69e6'
var keyVaultSecretsOfficerRoleId = 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'

var suffix = uniqueString(resourceGroup().id, namePrefix)
var secretExpiresAt = dateTimeToEpoch(dateTimeAdd(baseTime, 'P${secretValidityDays}D'))

resource logs 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: 'log-${namePrefix}-${suffix}'
  location: location
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: 30
  }
}

resource insights 'Microsoft.Insights/components@2020-02-02' = {
  name: 'appi-${namePrefix}-${suffix}'
  location: location
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logs.id
  }
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: 'kv-${namePrefix}-${take(suffix, 8)}'
  location: location
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    // Azure RBAC instead of access policies: roles can then be scoped to the one secret.
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
  }
}

resource secret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (createSecret) {
  parent: vault
  name: secretName
  properties: {
    value: string({
      accountSid: twilioAccountSid
      authToken: twilioAuthToken
    })
    contentType: 'application/json'
    attributes: {
      enabled: true
      // Without an expiry no SecretNearExpiry event fires and rotation never starts.
      exp: secretExpiresAt
    }
  }
}

// The same secret by name, usable as a scope whether or not this deployment wrote it.
resource secretByName 'Microsoft.KeyVault/vaults/secrets@2023-07-01' existing = {
  parent: vault
  name: secretName
}

module webhookApp 'modules/function-app.bicep' = {
  name: 'webhook-app'
  params: {
    name: 'func-${namePrefix}-wh-${take(suffix, 6)}'
    location: location
    appInsightsConnectionString: insights.properties.ConnectionString
    appSettings: {
      TWILIO_AUTH_TOKEN_KEY_VAULT_URL: vault.properties.vaultUri
      TWILIO_AUTH_TOKEN_SECRET_NAME: secretName
    }
  }
}

module rotationApp 'modules/function-app.bicep' = {
  name: 'rotation-app'
  params: {
    name: 'func-${namePrefix}-rot-${take(suffix, 6)}'
    location: location
    appInsightsConnectionString: insights.properties.ConnectionString
    maximumInstanceCount: 40
    appSettings: {
      TWILIO_AUTH_TOKEN_KEY_VAULT_URL: vault.properties.vaultUri
      TWILIO_AUTH_TOKEN_SECRET_NAME: secretName
      // The versions the rotation writes expire like the first one (else the function's default, 90 days).
      TWILIO_AUTH_TOKEN_VALIDITY_DAYS: string(secretValidityDays)
    }
  }
}

// Webhook: read that one secret.
resource webhookReadsSecret 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(secretByName.id, 'webhook', keyVaultSecretsUserRoleId)
  scope: secretByName
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUserRoleId)
    principalId: webhookApp.outputs.principalId
    principalType: 'ServicePrincipal'
  }
  dependsOn: [
    secret
  ]
}

// Rotation: read and write new versions of that one secret.
resource rotationWritesSecret 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(secretByName.id, 'rotation', keyVaultSecretsOfficerRoleId)
  scope: secretByName
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsOfficerRoleId)
    principalId: rotationApp.outputs.principalId
    principalType: 'ServicePrincipal'
  }
  dependsOn: [
    secret
  ]
}

resource vaultEvents 'Microsoft.EventGrid/systemTopics@2022-06-15' = {
  name: 'evgt-${vault.name}'
  location: location
  // Writes dead-lettered events to the container below.
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    source: vault.id
    topicType: 'Microsoft.KeyVault.vaults'
  }
}

module deadLetters 'modules/dead-letter-storage.bicep' = {
  name: 'rotation-dead-letters'
  params: {
    name: '${namePrefix}-${suffix}'
    location: location
    writerPrincipalId: vaultEvents.identity.principalId
  }
}

resource nearExpiry 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2022-06-15' = if (deployRotationSubscription) {
  parent: vaultEvents
  name: 'twilio-auth-token-near-expiry'
  properties: {
    destination: {
      endpointType: 'AzureFunction'
      properties: {
        resourceId: '${rotationApp.outputs.id}/functions/${rotationFunctionName}'
        maxEventsPerBatch: 1
        preferredBatchSizeInKilobytes: 64
      }
    }
    filter: {
      // Key Vault sends each once per version: SecretExpired retries a rotation that failed for good.
      includedEventTypes: [
        'Microsoft.KeyVault.SecretNearExpiry'
        'Microsoft.KeyVault.SecretExpired'
      ]
      // The subject is the secret name: match it exactly.
      subjectBeginsWith: secretName
      subjectEndsWith: secretName
    }
    eventDeliverySchema: 'EventGridSchema'
    // Event Grid waits 30 s per delivery; the function returns within that and finishes on its timer.
    retryPolicy: {
      maxDeliveryAttempts: 30
      eventTimeToLiveInMinutes: 1440
    }
    // What Event Grid gives up on lands here (alert on a new blob in the container).
    deadLetterWithResourceIdentity: {
      identity: {
        type: 'SystemAssigned'
      }
      deadLetterDestination: {
        endpointType: 'StorageBlob'
        properties: {
          resourceId: deadLetters.outputs.storageAccountId
          blobContainerName: deadLetters.outputs.containerName
        }
      }
    }
  }
  dependsOn: [
    deadLetters
  ]
}

output webhookBaseUrl string = 'https://${webhookApp.outputs.defaultHostName}/api'
output webhookAppName string = webhookApp.outputs.name
output rotationAppName string = rotationApp.outputs.name
output keyVaultUrl string = vault.properties.vaultUri
output secretName string = secretName
// Where `az keyvault secret set` puts the token (the webhook reads the latest version).
output secretUri string = '${vault.properties.vaultUri}secrets/${secretName}'
// The sms-auto-reply template's function: Azure serves it under /api/<function name>.
output webhookUrl string = 'https://${webhookApp.outputs.defaultHostName}/api/sms'
// Log queries: az monitor app-insights query --app <this> -g <group>.
output appInsightsName string = insights.name
output rotationDeadLetterContainer string = deadLetters.outputs.containerName

// Where Event Grid puts the rotation events it gave up on (after the subscription's retry policy): a
// keyless storage account with one blob container. Only the writer identity (the Event Grid system
// topic's) may write there. A blob appearing in the container means a rotation did not happen: alert on it.

@description('Storage account name prefix input (the account name is derived and unique).')
param name string

@description('Azure region.')
param location string

@description('Principal ID of the identity that writes dead letters (the Event Grid system topic).')
param writerPrincipalId string

@description('Blob container for the dead-lettered events.')
param containerName string = 'rotation-dead-letters'

// Built-in role: Storage Blob Data Contributor.
var storageBlobDataContributorRoleId = 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: 'stdl${uniqueString(resourceGroup().id, name)}'
  location: location
  sku: {
    name: 'Standard_LRS'
  }
  kind: 'StorageV2'
  properties: {
    minimumTlsVersion: 'TLS1_2'
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false
    supportsHttpsTrafficOnly: true
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource container 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: containerName
}

resource topicWritesDeadLetters 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(container.id, writerPrincipalId, storageBlobDataContributorRoleId)
  scope: container
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataContributorRoleId)
    principalId: writerPrincipalId
    principalType: 'ServicePrincipal'
  }
}

output storageAccountId string = storage.id
output containerName string = container.name

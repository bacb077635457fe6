// Cosmos DB for NoSQL with key auth off. Under data-plane RBAC the app may read and write items but
// cannot create databases or containers (azure-cosmos-dotnet-v3 #4307, #4552), so all are declared here.

@description('Name of the Cosmos DB account.')
param accountName string

@description('Azure region.')
param location string

@description('Tags for the account.')
param tags object

@description('Database name; the app reads it from Cosmos__DatabaseName.')
param databaseName string

@description('serverless: pay per request unit. autoscale: provisioned throughput shared by the database.')
@allowed([
  'serverless'
  'autoscale'
])
param throughputMode string

@description('Autoscale maximum RU/s for the database (autoscale mode only).')
@minValue(1000)
param autoscaleMaxThroughput int

@description('Principal (object) ID of the app\'s user-assigned identity (Cosmos DB Built-in Data Contributor).')
param appPrincipalId string

@description('Optional principal ID of the deploying developer (Built-in Data Contributor too). Empty: none.')
param developerPrincipalId string

// Point reads only: nothing to index.
var noIndexing = {
  indexingMode: 'none'
  automatic: false
}

// Cosmos refuses indexing mode none on a container with defaultTtl, so exclude every path instead.
var excludeAll = {
  indexingMode: 'consistent'
  automatic: true
  includedPaths: []
  excludedPaths: [
    {
      path: '/*'
    }
  ]
}

// History is a single-partition query ordered by time.
var auditIndexing = {
  indexingMode: 'consistent'
  automatic: true
  includedPaths: [
    {
      path: '/partition/?'
    }
    {
      path: '/at/?'
    }
    {
      path: '/key/?'
    }
  ]
  excludedPaths: [
    {
      path: '/*'
    }
  ]
}

// The drainer asks for pending entries (all users, or one user's); it orders them itself.
var outboxIndexing = {
  indexingMode: 'consistent'
  automatic: true
  includedPaths: [
    {
      path: '/partition/?'
    }
    {
      path: '/status/?'
    }
  ]
  excludedPaths: [
    {
      path: '/*'
    }
  ]
}

// Must equal LinkFunctions.Storage.CosmosContainers.All; a drift test compares them.
// defaultTtl -1 turns item ttl on with no default; without it an item's ttl is ignored.
// uniqueKeyPath is unique per partition and fixed at creation (changing it means recreating the container).
var containers = [
  {
    name: 'links'
    partitionKeyPath: '/id'
    defaultTtl: null
    uniqueKeyPath: null
    indexingPolicy: noIndexing
  }
  {
    name: 'transient'
    partitionKeyPath: '/id'
    defaultTtl: -1
    uniqueKeyPath: null
    indexingPolicy: excludeAll
  }
  {
    name: 'audit'
    partitionKeyPath: '/partition'
    defaultTtl: null
    uniqueKeyPath: '/key'
    indexingPolicy: auditIndexing
  }
  {
    name: 'outbox'
    partitionKeyPath: '/partition'
    defaultTtl: -1
    uniqueKeyPath: null
    indexingPolicy: outboxIndexing
  }
]

resource account 'Microsoft.DocumentDB/databaseAccounts@2024-11-15' = {
  name: accountName
  location: location
  tags: tags
  kind: 'GlobalDocumentDB'
  properties: {
    databaseAccountOfferType: 'Standard'
    locations: [
      {
        locationName: location
        failoverPriority: 0
        isZoneRedundant: false
      }
    ]
    consistencyPolicy: {
      defaultConsistencyLevel: 'Session'
    }
    capabilities: throughputMode == 'serverless'
      ? [
          {
            name: 'EnableServerless'
          }
        ]
      : []
    disableLocalAuth: true
    disableKeyBasedMetadataWriteAccess: true
    minimalTlsVersion: 'Tls12'
    publicNetworkAccess: 'Enabled'
  }
}

resource database 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases@2024-11-15' = {
  parent: account
  name: databaseName
  properties: {
    resource: {
      id: databaseName
    }
    options: throughputMode == 'autoscale'
      ? {
          autoscaleSettings: {
            maxThroughput: autoscaleMaxThroughput
          }
        }
      : {}
  }
}

resource sqlContainers 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2024-11-15' = [
  for container in containers: {
    parent: database
    name: container.name
    properties: {
      resource: union(
        {
          id: container.name
          partitionKey: {
            paths: [
              container.partitionKeyPath
            ]
            kind: 'Hash'
            version: 2
          }
          indexingPolicy: container.indexingPolicy
        },
        container.defaultTtl == null ? {} : { defaultTtl: container.defaultTtl },
        container.uniqueKeyPath == null
          ? {}
          : {
              uniqueKeyPolicy: {
                uniqueKeys: [
                  {
                    paths: [
                      container.uniqueKeyPath
                    ]
                  }
                ]
              }
            }
      )
    }
  }
]

resource dataContributor 'Microsoft.DocumentDB/databaseAccounts/sqlRoleDefinitions@2024-11-15' existing = {
  parent: account
  name: '00000000-0000-0000-0000-000000000002'
}

resource appDataContributor 'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments@2024-11-15' = {
  parent: account
  name: guid(account.id, appPrincipalId, dataContributor.id)
  properties: {
    roleDefinitionId: dataContributor.id
    principalId: appPrincipalId
    scope: account.id
  }
}

resource developerDataContributor 'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments@2024-11-15' = if (!empty(developerPrincipalId)) {
  parent: account
  name: guid(account.id, developerPrincipalId, dataContributor.id)
  properties: {
    roleDefinitionId: dataContributor.id
    principalId: developerPrincipalId
    scope: account.id
  }
}

output accountName string = account.name
output endpoint string = account.properties.documentEndpoint
output databaseName string = database.name

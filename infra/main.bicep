// LinkFunctions on Azure, keyless: Flex Consumption, one user-assigned identity, RBAC everywhere.
// `azd up` deploys this; see docs/deploy.md. Only local modules: registry modules are not used.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('azd environment name; it names the resource group and seeds the resource names.')
param environmentName string

@minLength(1)
@description('Region for every resource. It must offer Flex Consumption.')
@metadata({
  azd: {
    type: 'location'
  }
})
param location string

@description('Object ID of the deploying principal (azd passes AZURE_PRINCIPAL_ID): it may set Key Vault secrets and use Cosmos data. Empty: no such grants.')
param principalId string = ''

// ---- Application options (LinkFunctions.Hosting.*Options); secret values are never parameters. ----

@minLength(1)
@description('Line__ChannelId: the Messaging API channel ID (digits).')
param lineChannelId string

@description('Line__ChannelSecretName: the Key Vault secret that holds the channel secret.')
param lineChannelSecretName string = 'line-channel-secret'

@description('Line__ApiBaseUrl.')
param lineApiBaseUrl string = 'https://api.line.me'

@description('Line__AccessBaseUrl.')
param lineAccessBaseUrl string = 'https://access.line.me'

@description('Cosmos__DatabaseName.')
param cosmosDatabaseName string = 'linking'

@description('Linking__PublicBaseUrl. Empty: the function app\'s own https URL.')
param linkingPublicBaseUrl string = ''

@description('Linking__ServiceLinkPageUrl: the service\'s own linking page (required when authMode is Delegated).')
param linkingServiceLinkPageUrl string = ''

@description('Linking__Keywords: comma-separated messages that start linking.')
param linkingKeywords string = 'link'

@description('Linking__PromptOnFollow.')
param linkingPromptOnFollow bool = true

@description('Linking__UnlinkKeywords: comma-separated messages that unlink the sender (the first is named in the linking reply).')
param linkingUnlinkKeywords string = 'unlink'

@description('Linking__UnfollowPolicy: keep (a user who blocks the account stays linked) or unlink.')
@allowed([
  'keep'
  'unlink'
])
param linkingUnfollowPolicy string = 'keep'

@description('Linking__NotifyReplaced: push a notice to a LINE user whose link a relink replaced (costs message quota).')
param linkingNotifyReplaced bool = false

@description('Linking__NotifyUrl: the service\'s https endpoint for link-change notifications. Empty: none are recorded or sent.')
param linkingNotifyUrl string = ''

@description('Linking__NotifySecretName: the Key Vault secret that signs link-change notifications.')
param linkingNotifySecretName string = 'link-notify-secret'

@description('Linking__NotifyMaxAttempts: tries before a notification is dead-lettered.')
@minValue(1)
@maxValue(50)
param linkingNotifyMaxAttempts int = 10

@description('Linking__AllowedReturnUrls: comma-separated URLs (origin plus path prefix) LINE Login may return the browser to.')
param linkingAllowedReturnUrls string = ''

@description('LineLogin__ChannelId: the LINE Login channel ID. Empty: LINE Login linking is off.')
param lineLoginChannelId string = ''

@description('LineLogin__ChannelSecretName: the Key Vault secret that holds the LINE Login channel secret.')
param lineLoginChannelSecretName string = 'line-login-channel-secret'

@description('LineLogin__CallbackUrl. Empty: the function app\'s own /api/login/line/callback.')
param lineLoginCallbackUrl string = ''

@description('LineLogin__BotPrompt: offer to add the Official Account as a friend during LINE Login.')
@allowed([
  'normal'
  'aggressive'
  'none'
])
param lineLoginBotPrompt string = 'normal'

@description('LineLogin__TokenKeySecretName: the Key Vault secret (32 random bytes, base64) that wraps stored LINE Login tokens.')
param lineLoginTokenKeySecretName string = 'line-login-token-key'

@description('Liff__ChannelId: the ID of the LINE Login channel that hosts the LIFF app (not the LIFF ID). Empty: LIFF linking is off.')
param liffChannelId string = ''

@description('Liff__AllowedOrigins: comma-separated https origins allowed to call the AppService-mode LIFF route (never *).')
param liffAllowedOrigins string = ''

@description('Telemetry__IdHashKeySecretName: the Key Vault secret that keys the hashed IDs in logs.')
param telemetryIdHashKeySecretName string = 'log-id-hash-key'

@description('Auth__Mode. AppService also configures App Service Authentication with Microsoft Entra ID.')
@allowed([
  'Delegated'
  'AppService'
])
param authMode string = 'Delegated'

@description('Auth__LoginProvider: the identity provider whose principal IDs are accepted in AppService mode.')
param authLoginProvider string = 'aad'

@description('AppService mode: application (client) ID of the Entra app registration used by Easy Auth.')
param authClientId string = ''

@description('Webhook__TimeBudgetMs: one budget for all calls of a webhook request (LINE wants 200 within 2 s).')
@minValue(100)
@maxValue(1900)
param webhookTimeBudgetMs int = 1500

// ---- Hosting ----

@description('Always-ready instances for the http group; 0 scales to zero but risks cold starts beyond LINE\'s 2 s.')
@minValue(0)
param alwaysReady int = 1

@description('Flex Consumption instance memory in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Upper bound on scale-out.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 100

@description('Cosmos DB capacity: serverless (default) or provisioned autoscale throughput shared by the database.')
@allowed([
  'serverless'
  'autoscale'
])
param cosmosThroughputMode string = 'serverless'

@description('Autoscale maximum RU/s (autoscale mode only).')
@minValue(1000)
param cosmosAutoscaleMaxThroughput int = 1000

var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = {
  'azd-env-name': environmentName
}
var serviceName = 'api'
// Names are computed here, not read from module outputs, so that What-If can predict every resource ID.
var identityName = 'id-${resourceToken}'
var functionAppName = 'func-${resourceToken}'
var enableAppServiceAuth = authMode == 'AppService'
// Delegated mode cannot start without the linking page (options validation stops the app, /api/health included).
// azd never prompts for a parameter that has a default, so refuse here, at template validation, instead of
// deploying an app that cannot start while `azd up` reports success. AppService mode does not use the page.
var serviceLinkPageUrl = authMode == 'Delegated' && empty(linkingServiceLinkPageUrl)
  ? fail('LINKING_SERVICE_LINK_PAGE_URL is required in Delegated mode (it sets Linking__ServiceLinkPageUrl): run `azd env set LINKING_SERVICE_LINK_PAGE_URL https://<your linking page>` (or set AUTH_MODE=AppService), then provision again.')
  : linkingServiceLinkPageUrl

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

// Role assignment names are seeded with this identity's principal ID, as Microsoft's Flex Consumption quickstart does:
// a recreated identity keeps its name and resource ID but gets a new principal, and an assignment name seeded with
// the resource ID would then point at the stale assignment, and ARM refuses to change its principal
// (RoleAssignmentUpdateNotPermitted); Cosmos DB's SQL role assignments fail the same way.
// The principal ID exists only at run time, so What-If cannot predict those names (what-if-short-circuiting).
module identity 'modules/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: identityName
    location: location
    tags: tags
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: 'log-${resourceToken}'
    applicationInsightsName: 'appi-${resourceToken}'
    location: location
    tags: tags
    #disable-next-line what-if-short-circuiting // principal-seeded role assignment names: see identity above
    appPrincipalId: identity.outputs.principalId
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: 'st${resourceToken}'
    location: location
    tags: tags
    deploymentContainerName: 'app-package'
    #disable-next-line what-if-short-circuiting // principal-seeded role assignment names: see identity above
    appPrincipalId: identity.outputs.principalId
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  scope: rg
  params: {
    name: 'kv-${resourceToken}'
    location: location
    tags: tags
    #disable-next-line what-if-short-circuiting // principal-seeded role assignment names: see identity above
    appPrincipalId: identity.outputs.principalId
    developerPrincipalId: principalId
  }
}

module cosmos 'modules/cosmos.bicep' = {
  name: 'cosmos'
  scope: rg
  params: {
    accountName: 'cosmos-${resourceToken}'
    location: location
    tags: tags
    databaseName: cosmosDatabaseName
    throughputMode: cosmosThroughputMode
    autoscaleMaxThroughput: cosmosAutoscaleMaxThroughput
    #disable-next-line what-if-short-circuiting // principal-seeded role assignment names: see identity above
    appPrincipalId: identity.outputs.principalId
    developerPrincipalId: principalId
  }
}

module functionApp 'modules/functionapp.bicep' = {
  name: 'functionapp'
  scope: rg
  params: {
    name: functionAppName
    planName: 'plan-${resourceToken}'
    location: location
    tags: tags
    serviceName: serviceName
    identityName: identityName
    storageBlobEndpoint: storage.outputs.blobEndpoint
    deploymentContainerName: storage.outputs.deploymentContainerName
    alwaysReady: alwaysReady
    instanceMemoryMB: instanceMemoryMB
    maximumInstanceCount: maximumInstanceCount
    enableAppServiceAuth: enableAppServiceAuth
    authClientId: authClientId
  }
}

// Every setting the app's options bind, plus the platform's own. A drift test reads this object:
// keep one `key: value` per line. Local-only settings are never set in Azure (the app refuses them).
var appSettings = {
  Line__ChannelId: lineChannelId
  Line__ChannelSecretName: lineChannelSecretName
  Line__ApiBaseUrl: lineApiBaseUrl
  Line__AccessBaseUrl: lineAccessBaseUrl
  Cosmos__AccountEndpoint: cosmos.outputs.endpoint
  Cosmos__DatabaseName: cosmos.outputs.databaseName
  KeyVault__VaultUri: keyVault.outputs.uri
  Linking__PublicBaseUrl: empty(linkingPublicBaseUrl) ? functionApp.outputs.uri : linkingPublicBaseUrl
  Linking__ServiceLinkPageUrl: serviceLinkPageUrl
  Linking__Keywords: linkingKeywords
  Linking__PromptOnFollow: string(linkingPromptOnFollow)
  Linking__NotifyReplaced: string(linkingNotifyReplaced)
  Linking__UnlinkKeywords: linkingUnlinkKeywords
  Linking__UnfollowPolicy: linkingUnfollowPolicy
  Linking__AllowedReturnUrls: linkingAllowedReturnUrls
  Linking__NotifyUrl: linkingNotifyUrl
  Linking__NotifySecretName: linkingNotifySecretName
  Linking__NotifyMaxAttempts: string(linkingNotifyMaxAttempts)
  LineLogin__ChannelId: lineLoginChannelId
  LineLogin__ChannelSecretName: lineLoginChannelSecretName
  LineLogin__CallbackUrl: empty(lineLoginCallbackUrl) && !empty(lineLoginChannelId) ? '${functionApp.outputs.uri}/api/login/line/callback' : lineLoginCallbackUrl
  LineLogin__BotPrompt: lineLoginBotPrompt
  LineLogin__TokenKeySecretName: lineLoginTokenKeySecretName
  Liff__ChannelId: liffChannelId
  Liff__AllowedOrigins: liffAllowedOrigins
  Telemetry__IdHashKeySecretName: telemetryIdHashKeySecretName
  Auth__Mode: authMode
  Auth__LoginProvider: authLoginProvider
  Webhook__TimeBudgetMs: string(webhookTimeBudgetMs)
  // Platform: host storage through the identity (no connection string, no key).
  AzureWebJobsStorage__blobServiceUri: storage.outputs.blobEndpoint
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identity.outputs.clientId
  // Platform: telemetry authenticated with Entra ID (Application Insights has local auth off).
  APPLICATIONINSIGHTS_CONNECTION_STRING: monitoring.outputs.applicationInsightsConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identity.outputs.clientId};Authorization=AAD'
  // Platform: which identity SecretClient, CosmosClient and other Azure SDK credentials use.
  AZURE_CLIENT_ID: identity.outputs.clientId
  // Platform: Easy Auth signs in to Entra ID with this identity's federated credential instead of a client secret.
  OVERRIDE_USE_MI_FIC_ASSERTION_CLIENTID: enableAppServiceAuth ? identity.outputs.clientId : ''
}

module functionAppSettings 'modules/appsettings.bicep' = {
  name: 'appsettings'
  scope: rg
  params: {
    siteName: functionAppName
    // appSettings reads functionApp's outputs, so this runs after the app exists.
    settings: appSettings
  }
}

// azd writes these into the environment (.azure/<env>/.env).
output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name
output AZURE_FUNCTION_APP_URL string = functionApp.outputs.uri
output SERVICE_API_NAME string = functionApp.outputs.name
output SERVICE_API_URI string = functionApp.outputs.uri
output LINE_WEBHOOK_URL string = '${functionApp.outputs.uri}/api/line/webhook'
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name
output AZURE_KEY_VAULT_URI string = keyVault.outputs.uri
output LINE_CHANNEL_SECRET_NAME string = lineChannelSecretName
output AZURE_COSMOS_ACCOUNT_NAME string = cosmos.outputs.accountName
output AZURE_COSMOS_ENDPOINT string = cosmos.outputs.endpoint
output AZURE_COSMOS_DATABASE_NAME string = cosmos.outputs.databaseName
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output AZURE_USER_ASSIGNED_IDENTITY_CLIENT_ID string = identity.outputs.clientId
output AZURE_USER_ASSIGNED_IDENTITY_PRINCIPAL_ID string = identity.outputs.principalId
output APPLICATIONINSIGHTS_CONNECTION_STRING string = monitoring.outputs.applicationInsightsConnectionString

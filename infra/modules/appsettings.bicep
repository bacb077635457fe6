// Replaces the function app's app settings with the given ones. Empty values are left out, so an
// optional setting that is not configured is simply absent (the app then uses its default).

@description('Name of the function app.')
param siteName string

@description('App settings by name.')
param settings { *: string }

resource site 'Microsoft.Web/sites@2024-04-01' existing = {
  name: siteName
}

resource appSettings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: site
  name: 'appsettings'
  properties: toObject(filter(items(settings), setting => !empty(setting.value)), setting => setting.key, setting => setting.value)
}

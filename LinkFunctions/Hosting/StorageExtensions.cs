using Azure.Core;
using LinkFunctions.Storage;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace LinkFunctions.Hosting;

public static class StorageExtensions
{
    /// <summary>
    /// Cosmos retries a 429 for up to 30 s by default, which would break the webhook's 2 s; every call here is
    /// interactive, so the client gives up after about a second and the request's own budget does the rest.
    /// </summary>
    public static readonly TimeSpan MaxRateLimitWait = TimeSpan.FromSeconds(1);

    public static IHostApplicationBuilder AddLinkStorage(this IHostApplicationBuilder builder)
    {
        builder.Services.AddAzureCredential();
        builder.Services.AddSingleton(sp => CreateClient(sp.GetRequiredService<IOptions<CosmosOptions>>().Value, sp.GetRequiredService<TokenCredential>));
        builder.Services.AddSingleton<CosmosDatabase>();
        builder.Services.AddSingleton<ILinkRepository, CosmosLinkRepository>();
        builder.Services.AddSingleton<ITransientRepository, CosmosTransientRepository>();
        builder.Services.AddSingleton<CosmosAuditLog>();
        builder.Services.AddSingleton<IAuditLog>(sp => sp.GetRequiredService<CosmosAuditLog>());
        builder.Services.AddSingleton<IAuditHistory>(sp => sp.GetRequiredService<CosmosAuditLog>());
        builder.Services.AddHostedService<CosmosInitializer>();
        return builder;
    }

    public static CosmosClientOptions ClientOptions(bool local) => new()
    {
        ApplicationName = "LinkFunctions",
        UseSystemTextJsonSerializerWithOptions = new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web),
        MaxRetryWaitTimeOnRateLimitedRequests = MaxRateLimitWait,
        MaxRetryAttemptsOnRateLimitedRequests = 3,

        // The local server and the emulator speak Gateway only, at exactly the configured endpoint.
        ConnectionMode = local ? ConnectionMode.Gateway : ConnectionMode.Direct,
        LimitToEndpoint = local,
    };

    /// <param name="credential">Asked for only with <c>Cosmos__AccountEndpoint</c>; a connection string carries its key.</param>
    public static CosmosClient CreateClient(CosmosOptions options, Func<TokenCredential>? credential = null)
    {
        if (options.ConnectionString is not { Length: > 0 } connectionString)
        {
            var tokenCredential = credential?.Invoke() ?? throw new InvalidOperationException("Cosmos__AccountEndpoint needs the shared Azure credential.");
            return new CosmosClient(options.AccountEndpoint!.AbsoluteUri, tokenCredential, ClientOptions(local: false));
        }

        var clientOptions = ClientOptions(local: true);
        if (IsLoopbackHttps(connectionString))
        {
            // The Cosmos emulator serves a self-signed certificate. Connection strings are refused in Azure, and with
            // LimitToEndpoint this client talks to nothing but this loopback endpoint, so only it is exempted.
            clientOptions.ServerCertificateCustomValidationCallback = (_, _, _) => true;
        }

        return new CosmosClient(connectionString, clientOptions);
    }

    public static bool IsLoopbackHttps(string connectionString)
    {
        var endpoint = connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(part => part.Split('=', 2))
            .FirstOrDefault(pair => pair.Length == 2 && pair[0].Equals("AccountEndpoint", StringComparison.OrdinalIgnoreCase))?[1];
        return Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps && uri.IsLoopback;
    }
}

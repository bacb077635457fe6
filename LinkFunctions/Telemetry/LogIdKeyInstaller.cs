using System.Text;
using Azure;
using Azure.Security.KeyVault.Secrets;
using LinkFunctions.Hosting;
using LinkFunctions.Linking;
using LinkFunctions.Secrets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LinkFunctions.Telemetry;

/// <summary>
/// Installs the deployment's key for <see cref="LogIds"/> before the worker takes invocations, so that the hashes in
/// the logs of every instance agree. A missing or unreadable key does not stop start-up (logs are not worth an
/// outage): the process keeps its random key and says so, and its hashes then correlate only within the instance.
/// </summary>
internal sealed partial class LogIdKeyInstaller(
    IOptions<TelemetryOptions> options, IOptions<KeyVaultOptions> vault, IServiceProvider services, ILogger<LogIdKeyInstaller> logger) : IHostedService
{
    /// <summary>Start-up waits this long at most for the vault.</summary>
    public static readonly TimeSpan VaultTimeout = TimeSpan.FromSeconds(5);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.IdHashKey is { } configured)
        {
            LogIds.UseKey(Encoding.UTF8.GetBytes(configured));
            LogInstalled(logger, "Telemetry__IdHashKey");
            return;
        }

        if (vault.Value.VaultUri is null)
        {
            LogRandomKey(logger, "neither Telemetry__IdHashKey nor KeyVault__VaultUri is set");
            return;
        }

        var name = options.Value.IdHashKeySecretName;
        var secret = await ReadSecretAsync(name, cancellationToken);
        if (secret is null)
        {
            return;
        }

        if (secret.Length < TelemetryOptions.MinimumKeyLength)
        {
            LogRandomKey(logger, $"the Key Vault secret {name} is shorter than {TelemetryOptions.MinimumKeyLength} characters");
            return;
        }

        LogIds.UseKey(Encoding.UTF8.GetBytes(secret));
        LogInstalled(logger, $"Key Vault secret {name}");
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task<string?> ReadSecretAsync(string name, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(VaultTimeout);
        try
        {
            var secret = await services.GetRequiredService<SecretClient>().GetSecretAsync(name, cancellationToken: timeout.Token);
            return secret.Value.Value;
        }
        // An unreachable vault ends the SDK's retries in an AggregateException, not a RequestFailedException.
        catch (Exception ex) when (ex is RequestFailedException or AggregateException or OperationCanceledException or Azure.Identity.AuthenticationFailedException)
        {
            LogRandomKey(logger, $"the Key Vault secret {name} could not be read ({SafeError.Describe(ex)})");
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Log ID hashes use the key from {Source}")]
    private static partial void LogInstalled(ILogger logger, string source);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Log ID hashes use a random key of this process, because {Reason}; hashes correlate only within this instance")]
    private static partial void LogRandomKey(ILogger logger, string reason);
}

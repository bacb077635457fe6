using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Azure;
using Azure.Security.KeyVault.Secrets;
using LinkFunctions.Secrets;
using LinkFunctions.Storage;
using LinkFunctions.Tests.EndToEnd;
using LinkFunctions.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;

namespace LinkFunctions.Tests.Proof;

/// <summary>
/// Key Vault down: the app's real <see cref="SecretClient"/>, pointed at a loopback port where nothing listens, while
/// <see cref="Down"/> is set; otherwise the vault answers the Azure SDK way (<see cref="SecretModelFactory"/>). With no
/// secret held the webhook fails closed with a fast 503 and LINE's redelivery links once the vault is back; with a
/// secret held, an outage changes nothing.
/// </summary>
[Collection(CosmosCollection.Name)]
public sealed class FaultsKeyVaultTests(CosmosFixture cosmos, ITestOutputHelper output) : AppTest(cosmos)
{
    /// <summary>The cache's own clock, so that its 10 s pause after a failed fetch can be skipped.</summary>
    private readonly FakeTimeProvider secretTime = new(DateTimeOffset.UtcNow);

    private SwitchableVault vault = null!;

    private LinkingFlow Flow => new(App, Line);

    private ProofState State => new(App, Cosmos);

    /// <summary>The vault as the Azure SDK lets tests stand one in: a subclass overriding the virtual call.</summary>
    private sealed class SwitchableVault(SecretClient unreachable) : SecretClient
    {
        public bool Down { get; set; } = true;

        public override Task<Response<KeyVaultSecret>> GetSecretAsync(string name, string? version = null, CancellationToken cancellationToken = default) =>
            Down ? unreachable.GetSecretAsync(name, version, cancellationToken)
                : Task.FromResult(Response.FromValue(SecretModelFactory.KeyVaultSecret(new SecretProperties(name), TestApp.ChannelSecret), new NoResponse()));

        public override Task<Response<KeyVaultSecret>> GetSecretAsync(
            string name, string? version, SecretContentType? outContentType, CancellationToken cancellationToken = default) =>
            GetSecretAsync(name, version, cancellationToken);
    }

    private sealed class NoResponse : Response
    {
        public override int Status => 200;
        public override string ReasonPhrase => "OK";
        public override Stream? ContentStream { get; set; }
        public override string ClientRequestId { get; set; } = "";
        public override void Dispose() { }
        protected override bool ContainsHeader(string name) => false;
        protected override IEnumerable<Azure.Core.HttpHeader> EnumerateHeaders() => [];
        protected override bool TryGetHeader(string name, out string value) { value = ""; return false; }
        protected override bool TryGetHeaderValues(string name, out IEnumerable<string> values) { values = []; return false; }
    }

    protected override void ConfigureSettings(Dictionary<string, string?> settings) =>
        settings["KeyVault:VaultUri"] = $"https://127.0.0.1:{ClosedPort()}/";

    protected override void ConfigureServices(IServiceCollection services) =>
        services.Replace(ServiceDescriptor.Singleton(sp =>
        {
            vault = new SwitchableVault(sp.GetRequiredService<SecretClient>());
            return new ChannelSecretCache(new KeyVaultChannelSecretSource(vault, "line-channel-secret"), secretTime, NullLogger<ChannelSecretCache>.Instance);
        }));

    [Fact]
    public async Task AccountLink_VaultDownAndNoSecretHeld_Fast503NoncePendingThenRedeliveryLinks()
    {
        var (line, user) = (WebhookBodies.NewLineUserId(), ProofRuns.NewServiceUser());
        var nonce = await NonceWithoutLineAsync(line, user);
        var accountLink = WebhookBodies.AccountLink(line, nonce);

        var clock = Stopwatch.StartNew();
        var down = HttpRequests.Status(await Flow.WebhookAsync(WebhookBodies.Body(accountLink)));
        clock.Stop();

        Assert.Equal(503, down);
        Assert.True(clock.Elapsed <= ProofRuns.WebhookAnswerBound, $"answered after {clock.ElapsedMilliseconds} ms");
        Assert.Equal(NonceStates.Pending, (await State.NonceAsync(nonce))?.Status);
        Assert.False(await State.LinkedAsync(line, user));

        vault.Down = false;
        secretTime.Advance(ChannelSecretCache.RetryAfterFailure + TimeSpan.FromSeconds(1));
        accountLink["deliveryContext"] = new { isRedelivery = true };
        Assert.Equal(200, HttpRequests.Status(await Flow.WebhookAsync(WebhookBodies.Body(accountLink))));
        Assert.True(await State.LinkedAsync(line, user));
        output.WriteLine($"Key Vault unreachable, no secret held: 503 in {clock.ElapsedMilliseconds} ms, nonce pending; redelivery linked");
    }

    [Fact]
    public async Task Linking_VaultGoesDownWithASecretHeld_WholeFlowStillLinks()
    {
        vault.Down = false;
        secretTime.Advance(ChannelSecretCache.RetryAfterFailure + TimeSpan.FromSeconds(1));
        await App.Get<ChannelSecretCache>().RefreshAsync(CancellationToken.None);
        vault.Down = true;
        secretTime.Advance(ChannelSecretCache.RefreshAfter + TimeSpan.FromMinutes(1));

        var (line, user) = (WebhookBodies.NewLineUserId(), ProofRuns.NewServiceUser());
        var nonce = await Flow.OpenLinkingUrlAsync(await Flow.SendKeywordAsync(line), user);
        Assert.Equal(200, HttpRequests.Status(await Flow.WebhookAsync(WebhookBodies.Body(WebhookBodies.AccountLink(line, nonce)))));

        Assert.True(await State.LinkedAsync(line, user));
    }

    /// <summary>A link token bound to the LINE user as issuing one would store it, then the linking URL: no secret needed.</summary>
    private async Task<string> NonceWithoutLineAsync(string line, string user)
    {
        var linkToken = "LinkToken" + Guid.NewGuid().ToString("N");
        await App.Get<ITransientRepository>().SaveLinkTokenAsync(
            new LinkTokenDocument { Id = App.Get<ProviderKey>().LinkToken(linkToken), LineUserId = line, ExpiresAt = DateTimeOffset.UtcNow.AddMinutes(10), Ttl = 600 },
            CancellationToken.None);
        return await Flow.OpenLinkingUrlAsync(linkToken, user);
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

using System.Diagnostics.Metrics;
using System.Text;
using LinkFunctions.Hosting;
using LinkFunctions.LineApi;
using LinkFunctions.Linking;
using LinkFunctions.Secrets;
using LinkFunctions.Storage;
using LinkFunctions.Webhook;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace LinkFunctions.Benchmarks;

/// <summary>
/// The app's webhook path as <c>LineWebhookFunction</c> runs it (<see cref="WebhookProcessor.ProcessAsync"/>: budget,
/// capped body read, HMAC, reader, dispatch, log and metric), wired from the real classes with storage that answers at
/// once. Storage is the only fake: with the fixtures' events (text that is no keyword, accountLink with nonces this
/// store never issued) dispatch routes every event and the accountLink handler does its one nonce read, so the figure is
/// the CPU the app spends per request before any Cosmos or LINE round trip.
/// </summary>
internal sealed class WebhookApp
{
    public WebhookApp(byte[] secret)
    {
        var time = TimeProvider.System;
        var provider = new ProviderKey("1234567890");
        var linking = Options.Create(new LinkingOptions { PublicBaseUrl = new Uri("https://links.example.com") });
        var secrets = new ChannelSecretCache(
            new ConfigurationChannelSecretSource(Encoding.UTF8.GetString(secret), "Line__ChannelSecret"), time, NullLogger<ChannelSecretCache>.Instance);
        secrets.RefreshAsync(CancellationToken.None).GetAwaiter().GetResult();

        // No event in the fixtures reaches LINE: an HttpClient without a server proves it.
        var http = new HttpClient(new RefusingHandler()) { BaseAddress = new Uri("http://127.0.0.1:9/") };
        var tokens = new ChannelAccessTokenProvider(
            http, secrets, Options.Create(new LineOptions { ChannelId = "1234567890" }), time, NullLogger<ChannelAccessTokenProvider>.Instance);
        var line = new LineMessagingClient(http, tokens);

        // As in the app, the metrics are on (their instruments are cheap while no listener is attached).
        var metrics = new LinkMetrics(new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>());
        var storage = new EmptyStorage();
        var writer = new LinkWriter(storage, provider, time, NullLogger<LinkWriter>.Instance);
        var reader = new LinkReader(storage, provider, time, NullLogger<LinkReader>.Instance);
        var accountLinks = new AccountLinkService(storage, writer, storage, provider, time, NullLogger<AccountLinkService>.Instance);
        var dispatcher = new WebhookEventDispatcher(
            new AccountLinkHandler(accountLinks, line, linking, NullLogger<AccountLinkHandler>.Instance, metrics),
            new LinkPromptHandler(storage, new LinkTokenService(line, storage, provider, linking, time), reader, line, provider, time, NullLogger<LinkPromptHandler>.Instance),
            new UnlinkHandler(storage, new LinkUnlinker(storage, reader, storage, provider, time, NullLogger<LinkUnlinker>.Instance), line, provider, time, NullLogger<UnlinkHandler>.Instance),
            linking,
            metrics);
        // The budget's timer is armed and cancelled per request as in the app; it is long only because the first requests
        // run under valgrind (instructions.sh), hundreds of times slower, and must not end as 503s.
        Processor = new WebhookProcessor(
            secrets, dispatcher, Options.Create(new WebhookOptions { TimeBudgetMs = 600_000 }), NullLogger<WebhookProcessor>.Instance, metrics);
    }

    public WebhookProcessor Processor { get; }

    private sealed class RefusingHandler : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("The benchmark's events must not reach LINE.");
    }

    /// <summary>Storage that holds nothing and answers synchronously: unknown nonce, no link, every create succeeds.</summary>
    private sealed class EmptyStorage : ITransientRepository, ILinkRepository, IAuditLog
    {
        public Task<Stored<NonceDocument>?> ReadNonceAsync(string id, CancellationToken cancellationToken) => Task.FromResult<Stored<NonceDocument>?>(null);

        public Task<WriteOutcome> CreateNonceAsync(NonceDocument nonce, CancellationToken cancellationToken) => Task.FromResult(WriteOutcome.Ok);

        public Task<WriteOutcome> ReplaceNonceAsync(NonceDocument nonce, string ifMatch, CancellationToken cancellationToken) => Task.FromResult(WriteOutcome.Ok);

        public Task<Stored<LinkTokenDocument>?> ReadLinkTokenAsync(string id, CancellationToken cancellationToken) => Task.FromResult<Stored<LinkTokenDocument>?>(null);

        public Task SaveLinkTokenAsync(LinkTokenDocument linkToken, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<Stored<LinkClaimDocument>?> ReadLinkClaimAsync(string id, CancellationToken cancellationToken) => Task.FromResult<Stored<LinkClaimDocument>?>(null);

        public Task<WriteOutcome> CreateLinkClaimAsync(LinkClaimDocument claim, CancellationToken cancellationToken) => Task.FromResult(WriteOutcome.Ok);

        public Task<bool> TryCreateMarkerAsync(EventMarkerDocument marker, CancellationToken cancellationToken) => Task.FromResult(true);

        public Task DeleteMarkerAsync(string id, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<Stored<LinkDocument>?> ReadAsync(string id, CancellationToken cancellationToken) => Task.FromResult<Stored<LinkDocument>?>(null);

        public Task<(WriteOutcome Outcome, string? ETag)> CreateAsync(LinkDocument document, CancellationToken cancellationToken) =>
            Task.FromResult<(WriteOutcome, string?)>((WriteOutcome.Ok, "\"1\""));

        public Task<(WriteOutcome Outcome, string? ETag)> ReplaceAsync(LinkDocument document, string ifMatch, CancellationToken cancellationToken) =>
            Task.FromResult<(WriteOutcome, string?)>((WriteOutcome.Ok, "\"1\""));

        public Task<WriteOutcome> DeleteAsync(string id, string ifMatch, CancellationToken cancellationToken) => Task.FromResult(WriteOutcome.Ok);

        public Task AppendAsync(AuditDocument entry, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

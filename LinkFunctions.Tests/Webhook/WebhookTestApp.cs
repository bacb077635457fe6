using System.Diagnostics.Metrics;
using System.Text;
using LinkFunctions.Hosting;
using LinkFunctions.Linking;
using LinkFunctions.Secrets;
using LinkFunctions.Storage;
using LinkFunctions.Tests.LineApi;
using LinkFunctions.Tests.Linking;
using LinkFunctions.Tests.Secrets;
using LinkFunctions.Webhook;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace LinkFunctions.Tests.Webhook;

/// <summary>
/// The webhook path wired from the real classes: a real secret cache over a fake source, real handlers, and fakes
/// or mocks only at the storage and HTTP edges.
/// </summary>
internal sealed class WebhookTestApp
{
    public const string Secret = "8c570fa6dd201bb328f1c1eac23a96d8";
    public const string ChannelId = "1234567890";
    public static readonly Uri PublicBaseUrl = new("https://links.example.com");

    public WebhookTestApp(FakeChannelSecretSource? secrets = null, int timeBudgetMs = 30_000, LinkingOptions? linking = null)
    {
        SecretSource = secrets ?? new FakeChannelSecretSource(Secret);
        Linking = linking ?? new LinkingOptions { PublicBaseUrl = PublicBaseUrl, ServiceLinkPageUrl = new Uri("https://service.example.com/link") };
        Line = new LineTestClients(Time);
        Secrets = new ChannelSecretCache(SecretSource, Time, NullLogger<ChannelSecretCache>.Instance);
        var linkTokens = new LinkTokenService(Line.Client, Transient.Object, Provider, Options.Create(Linking), Time);
        var writer = new LinkWriter(Links, Provider, Time, NullLogger<LinkWriter>.Instance);
        AccountLinks = new AccountLinkService(Transient.Object, writer, Audit.Object, Provider, Time, NullLogger<AccountLinkService>.Instance);
        AccountLinkHandler = new AccountLinkHandler(AccountLinks, Line.Client, Options.Create(Linking), NullLogger<AccountLinkHandler>.Instance);
        var reader = new LinkReader(Links, Provider, Time, NullLogger<LinkReader>.Instance);
        PromptHandler = new LinkPromptHandler(Transient.Object, linkTokens, reader, Line.Client, Provider, Time, NullLogger<LinkPromptHandler>.Instance);
        var unlinker = new LinkUnlinker(Links, reader, Audit.Object, Provider, Time, NullLogger<LinkUnlinker>.Instance);
        UnlinkHandler = new UnlinkHandler(Transient.Object, unlinker, Line.Client, Provider, Time, NullLogger<UnlinkHandler>.Instance);
        Dispatcher = new WebhookEventDispatcher(AccountLinkHandler, PromptHandler, UnlinkHandler, Options.Create(Linking));
        TimeBudgetMs = timeBudgetMs;
        Metrics = new LinkMetrics(MeterFactory);
        Processor = ProcessorWith(Secrets);
    }

    public UnlinkHandler UnlinkHandler { get; }

    public int TimeBudgetMs { get; }

    public IMeterFactory MeterFactory { get; } = new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>();

    public LinkMetrics Metrics { get; }

    public FakeLogger<WebhookProcessor> Logs { get; } = new();

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2025, 11, 25, 12, 0, 0, TimeSpan.Zero));

    public ProviderKey Provider { get; } = new(ChannelId);

    public FakeChannelSecretSource SecretSource { get; }

    public ChannelSecretCache Secrets { get; }

    public LinkingOptions Linking { get; }

    public LineTestClients Line { get; }

    public Mock<ITransientRepository> Transient { get; } = new();

    public InMemoryLinkRepository Links { get; } = new();

    public Mock<IAuditLog> Audit { get; } = new();

    public AccountLinkService AccountLinks { get; }

    public AccountLinkHandler AccountLinkHandler { get; }

    public LinkPromptHandler PromptHandler { get; }

    public WebhookEventDispatcher Dispatcher { get; }

    public WebhookProcessor Processor { get; }

    /// <summary>The same webhook path over another secret cache (a failing or hanging source).</summary>
    public WebhookProcessor ProcessorWith(ChannelSecretCache secrets) =>
        new(secrets, Dispatcher, Options.Create(new WebhookOptions { TimeBudgetMs = TimeBudgetMs }), Logs, Metrics);

    public ChannelSecretCache CacheOver(IChannelSecretSource source) => new(source, Time, NullLogger<ChannelSecretCache>.Instance);

    public static string Sign(string body, string secret = Secret) =>
        WebhookSignature.Compute(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body));

    public Task<WebhookResult> ProcessAsync(string body, string? signature)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        return Processor.ProcessAsync(new MemoryStream(bytes), bytes.Length, signature, CancellationToken.None);
    }
}

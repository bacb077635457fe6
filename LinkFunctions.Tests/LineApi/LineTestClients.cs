using LinkFunctions.Hosting;
using LinkFunctions.LineApi;
using LinkFunctions.Secrets;
using LinkFunctions.Tests.Secrets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace LinkFunctions.Tests.LineApi;

/// <summary>The real LINE client and token provider over a <see cref="FakeLineHandler"/>.</summary>
internal sealed class LineTestClients
{
    public const string ChannelId = "1234567890";
    public const string ChannelSecret = "8c570fa6dd201bb328f1c1eac23a96d8";

    public LineTestClients(TimeProvider time, FakeLineHandler? handler = null, IChannelSecretSource? secrets = null, ILogger<ChannelAccessTokenProvider>? logger = null)
    {
        Handler = handler ?? new FakeLineHandler();
        Secrets = new ChannelSecretCache(secrets ?? new FakeChannelSecretSource(ChannelSecret), time, NullLogger<ChannelSecretCache>.Instance);
        var http = new HttpClient(Handler, disposeHandler: false) { BaseAddress = new Uri("https://api.line.me/") };
        Tokens = new ChannelAccessTokenProvider(http, Secrets, Options.Create(new LineOptions { ChannelId = ChannelId }), time, logger ?? NullLogger<ChannelAccessTokenProvider>.Instance);
        Client = new LineMessagingClient(http, Tokens);
    }

    public FakeLineHandler Handler { get; }

    public ChannelSecretCache Secrets { get; }

    public ChannelAccessTokenProvider Tokens { get; }

    public LineMessagingClient Client { get; }
}

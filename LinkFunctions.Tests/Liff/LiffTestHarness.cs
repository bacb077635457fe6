using System.Net;
using LinkFunctions.Liff;
using LinkFunctions.LineApi;
using LinkFunctions.Linking;
using LinkFunctions.Storage;
using LinkFunctions.Tests.LineApi;
using LinkFunctions.Tests.Linking;
using LinkFunctions.Tests.TestSupport;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace LinkFunctions.Tests.Liff;

/// <summary>Single use in memory, with the same create-only answer the transient container gives.</summary>
internal sealed class InMemoryLiffIdTokenStore : ILiffIdTokenStore
{
    public HashSet<string> Used { get; } = new(StringComparer.Ordinal);

    public Exception? Failure { get; set; }

    public Task<bool> TryMarkUsedAsync(string useKey, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        if (Failure is not null)
        {
            throw Failure;
        }

        lock (Used)
        {
            return Task.FromResult(Used.Add(useKey));
        }
    }

    public Task ForgetAsync(string useKey, CancellationToken cancellationToken)
    {
        lock (Used)
        {
            Used.Remove(useKey);
        }

        return Task.CompletedTask;
    }
}

/// <summary>
/// The LIFF pieces for unit tests: real verifier, key cache and JWKS client over a <see cref="FakeLineHandler"/>
/// that publishes <see cref="Signer"/>'s key, a fake clock, and links in memory.
/// </summary>
internal sealed class LiffTestHarness : IDisposable
{
    public const string LineUserId = "U8189cf6745fc0d808977bdb0b9f22995";

    public LiffTestHarness(string? channelId = LiffIdTokens.LiffChannelId)
    {
        Options = Microsoft.Extensions.Options.Options.Create(new LiffOptions { ChannelId = channelId });
        Handler.Respond(LineFake.JwksPath, _ => Jwks());
        var http = new HttpClient(Handler, disposeHandler: false) { BaseAddress = new Uri("https://api.line.me/") };
        Keys = new LiffSigningKeys(new LineJwksClient(http), Time, new FakeLogger<LiffSigningKeys>(Logs));
        Verifier = new LiffIdTokenVerifier(Keys, Options, Time, new FakeLogger<LiffIdTokenVerifier>(Logs));
        Service = new LiffLinkService(
            Verifier, Used, new LinkWriter(Links, Provider, Time, new FakeLogger<LinkWriter>(Logs)), Audit, Provider, Options, Time,
            new FakeLogger<LiffLinkService>(Logs));
        Reader = new LinkReader(Links, Provider, Time, new FakeLogger<LinkReader>(Logs));
    }

    /// <summary>Every log line the LIFF pieces wrote.</summary>
    public FakeLogCollector Logs { get; } = new();

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2025, 11, 25, 12, 0, 0, TimeSpan.Zero));

    public FakeLineHandler Handler { get; } = new();

    public LiffIdTokens Signer { get; } = new();

    /// <summary>What the fake JWKS lists; replace to simulate rotation.</summary>
    public List<LiffIdTokens> Published { get; } = [];

    /// <summary>Set to answer the JWKS endpoint with this status instead.</summary>
    public HttpStatusCode? JwksStatus { get; set; }

    public IOptions<LiffOptions> Options { get; }

    public ProviderKey Provider { get; } = new("1234567890");

    public InMemoryLinkRepository Links { get; } = new();

    public InMemoryLiffIdTokenStore Used { get; } = new();

    public List<AuditDocument> AuditEntries { get; } = [];

    public IAuditLog Audit => new ListAuditLog(AuditEntries);

    public LiffSigningKeys Keys { get; }

    public LiffIdTokenVerifier Verifier { get; }

    public LiffLinkService Service { get; }

    public LinkReader Reader { get; }

    public int JwksCalls => Handler.RequestsTo(LineFake.JwksPath).Count;

    /// <summary>A genuine LIFF ID token for <paramref name="lineUserId"/>, issued now.</summary>
    public string Token(string lineUserId = LineUserId) => Signer.Sign(LiffIdTokens.Claims(lineUserId, Time.GetUtcNow()));

    public void Dispose() => Signer.Dispose();

    private HttpResponseMessage Jwks() => JwksStatus is { } status
        ? FakeLineHandler.Json(status, """{"message":"down"}""")
        : FakeLineHandler.Json(HttpStatusCode.OK, LiffIdTokens.Jwks([.. (Published.Count == 0 ? [Signer] : Published)]));

    private sealed class ListAuditLog(List<AuditDocument> entries) : IAuditLog
    {
        public Task AppendAsync(AuditDocument entry, CancellationToken cancellationToken)
        {
            entries.Add(entry);
            return Task.CompletedTask;
        }
    }
}

using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using LinkFunctions.Webhook;

namespace LinkFunctions.Benchmarks;

/// <summary>
/// The webhook's per-request CPU work after the body is buffered: decode the x-line-signature header, HMAC-SHA256
/// over the raw bytes, then parse. Bodies come from benchmarks/fixtures/ (shared with benchmarks/node/bench.mjs).
/// Target (docs/performance.md): <see cref="HotPath"/> has at least 2x the throughput of @line/bot-sdk's
/// validateSignature + JSON.parse on the same body.
/// </summary>
[MemoryDiagnoser]
public class WebhookHotPathBenchmarks
{
    private byte[] secret = [];
    private byte[] body = [];
    private string signatureHeader = "";
    private WebhookApp app = null!;

    [Params(1, 10, 100)]
    public int Events { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        secret = Encoding.UTF8.GetBytes(Fixtures.ChannelSecret);
        body = Fixtures.WebhookBody(Events);
        signatureHeader = WebhookSignature.Compute(secret, body);

        app = new WebhookApp(secret);

        // Every variant must do the real work on this body; a silent failure would make it look fast.
        if (AppPath() != WebhookStatus.Ok)
        {
            throw new InvalidOperationException("The app's webhook path did not answer 200 to the fixture.");
        }

        var parsed = HotPath() ?? throw new InvalidOperationException("The app's reader rejected the fixture.");
        if (parsed.Events.Count != Events || parsed.Events.Any(e => e.Type is null || e.WebhookEventId is null))
        {
            throw new InvalidOperationException("The app's reader did not read every event.");
        }

        if (FullDeserialization()?.Events.Count != Events || HmacJsonDocument() != Events || !HmacOnly() || !HmacOnlyOneShot())
        {
            throw new InvalidOperationException("A comparison variant did not read the fixture.");
        }
    }

    /// <summary>
    /// The app's webhook path, dispatch included: <see cref="WebhookProcessor.ProcessAsync"/> over the body as the
    /// function hands it over (a stream), with the real dispatcher and handlers and storage that answers at once.
    /// </summary>
    [Benchmark(Baseline = true, Description = "App: WebhookProcessor (HMAC + reader + dispatch)")]
    public WebhookStatus AppPath() =>
        app.Processor.ProcessAsync(new MemoryStream(body, writable: false), body.Length, signatureHeader, CancellationToken.None)
            .GetAwaiter().GetResult().Status;

    /// <summary>Component: signature and reader only, as WebhookProcessor calls them: one HMAC, one forward Utf8JsonReader pass.</summary>
    [Benchmark(Description = "HMAC + WebhookPayloadReader")]
    public WebhookPayload? HotPath()
    {
        var signature = new byte[WebhookSignature.Length];
        if (!WebhookSignature.TryDecode(signatureHeader, signature) || !WebhookSignature.Matches(secret, body, signature))
        {
            return null;
        }

        return WebhookPayloadReader.TryRead(body, out _);
    }

    /// <summary>(b) HMAC + JsonDocument.Parse (pooled DOM; the events array is only counted).</summary>
    [Benchmark(Description = "HMAC + JsonDocument.Parse")]
    public int HmacJsonDocument()
    {
        var signature = new byte[WebhookSignature.Length];
        if (!WebhookSignature.TryDecode(signatureHeader, signature) || !WebhookSignature.Matches(secret, body, signature))
        {
            return -1;
        }

        using var document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = WebhookPayloadReader.MaxDepth });
        return document.RootElement.GetProperty("events"u8).GetArrayLength();
    }

    /// <summary>(c) HMAC + source-generated System.Text.Json deserialisation of whole LINE event records.</summary>
    [Benchmark(Description = "HMAC + STJ deserialise (source-gen)")]
    public LineWebhookBody? FullDeserialization()
    {
        var signature = new byte[WebhookSignature.Length];
        if (!WebhookSignature.TryDecode(signatureHeader, signature) || !WebhookSignature.Matches(secret, body, signature))
        {
            return null;
        }

        return JsonSerializer.Deserialize(body, LineWebhookJsonContext.Default.LineWebhookBody);
    }

    /// <summary>Component: the signature alone (header decode + HMAC-SHA256 + constant-time compare).</summary>
    [Benchmark(Description = "HMAC only")]
    public bool HmacOnly()
    {
        var signature = new byte[WebhookSignature.Length];
        return WebhookSignature.TryDecode(signatureHeader, signature) && WebhookSignature.Matches(secret, body, signature);
    }

    /// <summary>
    /// Component, for comparison: the signature with the one-shot <c>HMACSHA256.HashData</c>, which sets the key up on
    /// every call; the app keeps one keyed instance per thread instead.
    /// </summary>
    [Benchmark(Description = "HMAC only, key set up per call")]
    public bool HmacOnlyOneShot()
    {
        var signature = new byte[WebhookSignature.Length];
        return WebhookSignature.TryDecode(signatureHeader, signature)
            && WebhookSignature.Matches((ReadOnlySpan<byte>)secret, body, signature);
    }

    /// <summary>Component: the app's reader alone.</summary>
    [Benchmark(Description = "WebhookPayloadReader only")]
    public WebhookPayload? ReaderOnly() => WebhookPayloadReader.TryRead(body, out _);
}

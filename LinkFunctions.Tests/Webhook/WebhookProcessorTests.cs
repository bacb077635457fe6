using System.Text;
using LinkFunctions.Hosting;
using LinkFunctions.Secrets;
using LinkFunctions.Storage;
using LinkFunctions.Tests.Secrets;
using LinkFunctions.Webhook;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Moq;

namespace LinkFunctions.Tests.Webhook;

public class WebhookProcessorTests
{
    private const string EmptyBody = """{"destination":"U8e742f61d673b39c7fff3cecb7536ef0","events":[]}""";
    private const string OtherSecret = "00000000000000000000000000000000";

    [Fact]
    public async Task ProcessAsync_SignedVerifyBody_ReturnsOk()
    {
        var app = new WebhookTestApp();

        var result = await app.ProcessAsync(EmptyBody, WebhookTestApp.Sign(EmptyBody));

        Assert.Equal(WebhookStatus.Ok, result.Status);
        Assert.Equal(1, app.SecretSource.FetchCount);
    }

    [Fact]
    public async Task ProcessAsync_LineKnownAnswerSignature_ReturnsOk()
    {
        var app = new WebhookTestApp();

        var result = await app.ProcessAsync(EmptyBody, "GhRKmvmHys4Pi8DxkF4+EayaH0OqtJtaZxgTD9fMDLs=");

        Assert.Equal(WebhookStatus.Ok, result.Status);
    }

    [Fact]
    public async Task ProcessAsync_MissingSignature_ReturnsBadSignatureWithoutReadingOrFetching()
    {
        var app = new WebhookTestApp();

        var result = await app.Processor.ProcessAsync(new ThrowingStream(), 10, null, CancellationToken.None);

        Assert.Equal(WebhookStatus.BadSignature, result.Status);
        Assert.Equal(0, app.SecretSource.FetchCount);
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("GhRKmvmHys4Pi8DxkF4+EayaH0OqtJtaZxgTD9fMDLs")]
    [InlineData("!!!!mvmHys4Pi8DxkF4+EayaH0OqtJtaZxgTD9fMDLs=")]
    public async Task ProcessAsync_MalformedSignature_ReturnsBadSignatureWithoutReadingOrRefetching(string header)
    {
        var app = new WebhookTestApp();

        var result = await app.Processor.ProcessAsync(new ThrowingStream(), 10, header, CancellationToken.None);

        Assert.Equal(WebhookStatus.BadSignature, result.Status);
        Assert.Equal(0, app.SecretSource.FetchCount);
    }

    [Fact]
    public async Task ProcessAsync_WrongSignature_ReturnsBadSignature()
    {
        var app = new WebhookTestApp();

        var result = await app.ProcessAsync(EmptyBody, WebhookTestApp.Sign(EmptyBody, OtherSecret));

        Assert.Equal(WebhookStatus.BadSignature, result.Status);
        Assert.NotNull(result.Problem);
    }

    [Fact]
    public async Task ProcessAsync_SignatureOverADifferentBody_ReturnsBadSignature()
    {
        var app = new WebhookTestApp();
        var signature = WebhookTestApp.Sign(EmptyBody);

        var result = await app.ProcessAsync(EmptyBody.Replace("[]", "[ ]", StringComparison.Ordinal), signature);

        Assert.Equal(WebhookStatus.BadSignature, result.Status);
    }

    [Fact]
    public async Task ProcessAsync_WellFormedMismatch_RefetchesOnceAndNotAgainWithin60Seconds()
    {
        var app = new WebhookTestApp();
        var wrong = WebhookTestApp.Sign(EmptyBody, OtherSecret);

        await app.ProcessAsync(EmptyBody, wrong);
        var afterFirst = app.SecretSource.FetchCount;
        app.Time.Advance(TimeSpan.FromSeconds(59));
        await app.ProcessAsync(EmptyBody, wrong);
        var afterSecond = app.SecretSource.FetchCount;
        app.Time.Advance(TimeSpan.FromSeconds(2));
        await app.ProcessAsync(EmptyBody, wrong);
        var afterThird = app.SecretSource.FetchCount;

        Assert.Equal(2, afterFirst);   // the first read, and one refetch
        Assert.Equal(2, afterSecond);  // within 60 s of the refetch: none
        Assert.Equal(3, afterThird);   // 61 s later: one again
    }

    [Fact]
    public async Task ProcessAsync_ManyMismatchesAtOnce_RefetchAtMostOnce()
    {
        var app = new WebhookTestApp();
        var wrong = WebhookTestApp.Sign(EmptyBody, OtherSecret);
        await app.ProcessAsync(EmptyBody, WebhookTestApp.Sign(EmptyBody));

        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(() => app.ProcessAsync(EmptyBody, wrong))));

        Assert.All(results, r => Assert.Equal(WebhookStatus.BadSignature, r.Status));
        Assert.Equal(2, app.SecretSource.FetchCount);
    }

    [Fact]
    public async Task ProcessAsync_SignedWithTheRotatedSecret_RefetchesAndReturnsOk()
    {
        var app = new WebhookTestApp(new FakeChannelSecretSource("old-secret", "new-secret"));
        await app.ProcessAsync(EmptyBody, WebhookTestApp.Sign(EmptyBody, "old-secret"));

        var rotated = await app.ProcessAsync(EmptyBody, WebhookTestApp.Sign(EmptyBody, "new-secret"));
        var next = await app.ProcessAsync(EmptyBody, WebhookTestApp.Sign(EmptyBody, "new-secret"));

        Assert.Equal(WebhookStatus.Ok, rotated.Status);
        Assert.Equal(WebhookStatus.Ok, next.Status);
        Assert.Equal(2, app.SecretSource.FetchCount);
    }

    [Fact]
    public async Task ProcessAsync_MismatchWithAConfigurationSecret_NeverRefetches()
    {
        var app = new WebhookTestApp(new FakeChannelSecretSource(WebhookTestApp.Secret) { CanRefetch = false });

        var result = await app.ProcessAsync(EmptyBody, WebhookTestApp.Sign(EmptyBody, OtherSecret));

        Assert.Equal(WebhookStatus.BadSignature, result.Status);
        Assert.Equal(1, app.SecretSource.FetchCount);
    }

    [Fact]
    public async Task ProcessAsync_ContentLengthOverTheCap_ReturnsTooLargeWithoutReading()
    {
        var app = new WebhookTestApp();

        var result = await app.Processor.ProcessAsync(
            new ThrowingStream(), WebhookBody.MaxBytes + 1L, WebhookTestApp.Sign(EmptyBody), CancellationToken.None);

        Assert.Equal(WebhookStatus.TooLarge, result.Status);
        Assert.Equal(0, app.SecretSource.FetchCount);
    }

    [Fact]
    public async Task ProcessAsync_ChunkedBodyOverTheCap_ReturnsTooLarge()
    {
        var app = new WebhookTestApp();
        var body = Encoding.UTF8.GetBytes($$"""{"events":[],"pad":"{{new string('x', WebhookBody.MaxBytes)}}"}""");

        var result = await app.Processor.ProcessAsync(new ChunkedStream(body, 8192), null, WebhookTestApp.Sign(EmptyBody), CancellationToken.None);

        Assert.Equal(WebhookStatus.TooLarge, result.Status);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{}{}")]
    [InlineData("[]")]
    [InlineData("""{"destination":"U8e742f61d673b39c7fff3cecb7536ef0"}""")]
    public async Task ProcessAsync_SignedInvalidBody_ReturnsBadBodyWithAProblem(string body)
    {
        var app = new WebhookTestApp();

        var result = await app.ProcessAsync(body, WebhookTestApp.Sign(body));

        Assert.Equal(WebhookStatus.BadBody, result.Status);
        Assert.False(string.IsNullOrWhiteSpace(result.Problem));
    }

    [Fact]
    public async Task ProcessAsync_UnsignedInvalidBody_ReturnsBadSignatureNotBadBody()
    {
        var app = new WebhookTestApp();

        var result = await app.ProcessAsync("not json", WebhookTestApp.Sign(EmptyBody));

        Assert.Equal(WebhookStatus.BadSignature, result.Status);
    }

    [Fact]
    public async Task ProcessAsync_SignedUnknownAndMalformedEvents_ReturnsOkWithoutTouchingStorage()
    {
        var app = new WebhookTestApp();
        const string body = """{"destination":"xxxxxxxxxx","events":[{"type":"undefined"},42,{"type":123,"source":"x"},{"type":"unfollow","source":{"type":"user","userId":"U123"}}]}""";

        var result = await app.ProcessAsync(body, WebhookTestApp.Sign(body));

        Assert.Equal(WebhookStatus.Ok, result.Status);
        Assert.Empty(app.Transient.Invocations);
        Assert.Empty(app.Line.Handler.Requests);
    }

    [Fact]
    public async Task ProcessAsync_AccountLinkThatCannotBeStored_ReturnsRetry()
    {
        var app = new WebhookTestApp();
        app.Transient.Setup(t => t.ReadNonceAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new StorageException("read", 503));
        var nonce = LinkFunctions.Linking.Nonce.Create();
        var body = $$$"""{"events":[{"type":"accountLink","replyToken":"r","source":{"type":"user","userId":"U91eeaf62d901234567890123456789ab"},"timestamp":1513669370317,"webhookEventId":"e1","link":{"result":"ok","nonce":"{{{nonce}}}"}}]}""";

        var result = await app.ProcessAsync(body, WebhookTestApp.Sign(body));

        Assert.Equal(WebhookStatus.Retry, result.Status);
    }

    [Fact]
    public async Task ProcessAsync_SecretFetchOutlastsTheBudget_ReturnsRetry()
    {
        var app = new WebhookTestApp(timeBudgetMs: 100);
        var processor = app.ProcessorWith(app.CacheOver(new HangingSecretSource()));
        var bytes = Encoding.UTF8.GetBytes(EmptyBody);

        var result = await processor.ProcessAsync(new MemoryStream(bytes), bytes.Length, WebhookTestApp.Sign(EmptyBody), CancellationToken.None);

        Assert.Equal(WebhookStatus.Retry, result.Status);
    }

    [Fact]
    public async Task ProcessAsync_SecretCannotBeFetched_FailsClosedWithRetry()
    {
        var source = new Mock<IChannelSecretSource>();
        source.SetupGet(s => s.CanRefetch).Returns(true);
        source.Setup(s => s.FetchAsync(It.IsAny<CancellationToken>())).ThrowsAsync(new Azure.RequestFailedException(403, "Forbidden by policy"));
        var app = new WebhookTestApp();
        var processor = app.ProcessorWith(app.CacheOver(source.Object));
        var bytes = Encoding.UTF8.GetBytes(EmptyBody);

        var result = await processor.ProcessAsync(new MemoryStream(bytes), bytes.Length, WebhookTestApp.Sign(EmptyBody), CancellationToken.None);

        Assert.Equal(WebhookStatus.Retry, result.Status);
        Assert.NotEqual(WebhookStatus.Ok, result.Status);
    }

    [Fact]
    public async Task ProcessAsync_SecretSourceCancelsItself_RetryNotAnExceptionForTheHost()
    {
        // An SDK's own timeout surfaces as an OperationCanceledException while our budget still runs: not a 500.
        var app = new WebhookTestApp();
        var processor = app.ProcessorWith(app.CacheOver(new FakeChannelSecretSource { Failure = new TaskCanceledException("SDK network timeout") }));
        var bytes = Encoding.UTF8.GetBytes(EmptyBody);

        var result = await processor.ProcessAsync(new MemoryStream(bytes), bytes.Length, WebhookTestApp.Sign(EmptyBody), CancellationToken.None);

        Assert.Equal(WebhookStatus.Retry, result.Status);
    }

    [Fact]
    public async Task ProcessAsync_VaultDownAfterTheSecretWasHeld_StillVerifiesWithTheHeldSecret()
    {
        var app = new WebhookTestApp();
        await app.ProcessAsync(EmptyBody, WebhookTestApp.Sign(EmptyBody));
        app.SecretSource.Failure = new Azure.RequestFailedException(503, "vault unavailable");
        app.Time.Advance(TimeSpan.FromHours(3));

        var result = await app.ProcessAsync(EmptyBody, WebhookTestApp.Sign(EmptyBody));

        Assert.Equal(WebhookStatus.Ok, result.Status);
    }

    [Fact]
    public async Task ProcessAsync_VaultSlowerThanTheBudget_RetryThenTheSameFetchIsServed()
    {
        var vaultAnswers = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var app = new WebhookTestApp(new FakeChannelSecretSource(WebhookTestApp.Secret) { Gate = vaultAnswers.Task }, timeBudgetMs: 100);

        var first = await app.ProcessAsync(EmptyBody, WebhookTestApp.Sign(EmptyBody));
        vaultAnswers.SetResult();
        await app.Secrets.RefreshAsync(CancellationToken.None);
        var second = await app.ProcessAsync(EmptyBody, WebhookTestApp.Sign(EmptyBody));

        Assert.Equal(WebhookStatus.Retry, first.Status);
        Assert.Equal(WebhookStatus.Ok, second.Status);
        Assert.Equal(1, app.SecretSource.FetchCount);
    }

    [Fact]
    public async Task ProcessAsync_ConcurrentColdRequests_ShareOneSecretFetch()
    {
        var vaultAnswers = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var app = new WebhookTestApp(new FakeChannelSecretSource(WebhookTestApp.Secret) { Gate = vaultAnswers.Task });

        // Each call runs synchronously up to its wait for the secret, so all ten are waiting before the vault answers.
        var requests = Enumerable.Range(0, 10).Select(_ => app.ProcessAsync(EmptyBody, WebhookTestApp.Sign(EmptyBody))).ToArray();
        vaultAnswers.SetResult();
        var results = await Task.WhenAll(requests);

        Assert.All(results, r => Assert.Equal(WebhookStatus.Ok, r.Status));
        Assert.Equal(1, app.SecretSource.FetchCount);
    }

    [Fact]
    public async Task ProcessAsync_WrongSignatureAndABodyTooSlowForTheBudget_BadBodyAtWarningWithoutAVaultCall()
    {
        var app = new WebhookTestApp(timeBudgetMs: 100);

        var result = await app.Processor.ProcessAsync(new StalledStream(), null, WebhookTestApp.Sign(EmptyBody, OtherSecret), CancellationToken.None);

        AssertClientProblem(app, result);
    }

    [Fact]
    public async Task ProcessAsync_ConnectionDropsMidBody_BadBodyAtWarning()
    {
        var app = new WebhookTestApp();

        var result = await app.Processor.ProcessAsync(new StalledStream(new IOException("Unexpected end of request content.")), 500, WebhookTestApp.Sign(EmptyBody), CancellationToken.None);

        AssertClientProblem(app, result);
    }

    [Fact]
    public async Task ProcessAsync_RequestAbortedWhileReadingTheBody_BadBodyAtWarning()
    {
        var app = new WebhookTestApp();
        using var aborted = new CancellationTokenSource();

        var processing = app.Processor.ProcessAsync(new StalledStream(), 500, WebhookTestApp.Sign(EmptyBody, OtherSecret), aborted.Token);
        await aborted.CancelAsync();
        var result = await processing;

        AssertClientProblem(app, result);
    }

    private static void AssertClientProblem(WebhookTestApp app, WebhookResult result)
    {
        Assert.Equal(WebhookStatus.BadBody, result.Status);
        Assert.Equal(0, app.SecretSource.FetchCount);
        var logs = app.Logs.Collector.GetSnapshot();
        Assert.DoesNotContain(logs, r => r.Level >= LogLevel.Error);
        Assert.Contains(logs, r => r.Level == LogLevel.Warning && r.Message.Contains("did not arrive in full", StringComparison.Ordinal));
    }

    public static TheoryData<string, WebhookStatus> Answers => new()
    {
        { "signed", WebhookStatus.Ok },
        { "unsigned", WebhookStatus.BadSignature },
        { "wrong-signature", WebhookStatus.BadSignature },
        { "oversize", WebhookStatus.TooLarge },
        { "not-json", WebhookStatus.BadBody },
        { "body-stalls", WebhookStatus.BadBody },
        { "vault-down", WebhookStatus.Retry },
        { "vault-outlasts-budget", WebhookStatus.Retry },
    };

    [Theory]
    [MemberData(nameof(Answers))]
    public async Task ProcessAsync_AnyAnswer_RecordsItsDurationTaggedWithTheStatus(string scenario, WebhookStatus expected)
    {
        // Only the scenarios about the budget get a short one; the others must not race it on a loaded machine.
        var app = new WebhookTestApp(timeBudgetMs: scenario is "body-stalls" or "vault-outlasts-budget" ? 200 : 5_000);
        using var durations = new MetricCollector<double>(app.MeterFactory, LinkMetrics.MeterName, "linkfunctions.webhook.duration");
        var processor = scenario switch
        {
            "vault-down" => app.ProcessorWith(app.CacheOver(new FakeChannelSecretSource { Failure = new Azure.RequestFailedException(503, "down") })),
            "vault-outlasts-budget" => app.ProcessorWith(app.CacheOver(new HangingSecretSource())),
            _ => app.Processor,
        };
        var body = Encoding.UTF8.GetBytes(scenario == "not-json" ? "not json" : EmptyBody);
        Stream stream = scenario == "body-stalls" ? new StalledStream() : new MemoryStream(body);
        long? length = scenario == "oversize" ? WebhookBody.MaxBytes + 1L : body.Length;
        var signature = scenario switch
        {
            "unsigned" => null,
            "wrong-signature" => WebhookTestApp.Sign(EmptyBody, OtherSecret),
            _ => WebhookSignature.Compute(Encoding.UTF8.GetBytes(WebhookTestApp.Secret), body),
        };

        var result = await processor.ProcessAsync(stream, length, signature, CancellationToken.None);

        Assert.Equal(expected, result.Status);
        var measurement = Assert.Single(durations.GetMeasurementSnapshot());
        Assert.Equal(expected.ToString(), measurement.Tags["status"]);
        Assert.InRange(measurement.Value, 0, 30_000);
    }

    private sealed class HangingSecretSource : IChannelSecretSource
    {
        public string Name => "hanging";

        public bool CanRefetch => true;

        public async Task<string> FetchAsync(CancellationToken cancellationToken)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return "never";
        }
    }
}

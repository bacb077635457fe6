using LinkFunctions.Telemetry;
using Microsoft.ApplicationInsights.Channel;
using Microsoft.ApplicationInsights.DataContracts;
using Microsoft.ApplicationInsights.Extensibility;

namespace LinkFunctions.Tests.Telemetry;

public sealed class RedactingTelemetryProcessorTests
{
    private const string LineUserId = "U4af4980629d3a2c5a0a1a3d6f0a4c4b1";

    [Fact]
    public void Process_RequestWithIdInPathAndTokenInQuery_RedactedThenPassedOn()
    {
        var request = new RequestTelemetry { Name = $"GET /api/links/line-users/{LineUserId}", Url = new Uri($"https://app.example.com/api/links/line-users/{LineUserId}?code=key") };
        request.Context.Operation.Name = request.Name;
        var next = new Sink();

        new RedactingTelemetryProcessor(next).Process(request);

        Assert.Same(request, Assert.Single(next.Items));
        Assert.Equal("https://app.example.com/api/links/line-users/{lineUserId}", request.Url.OriginalString);
        Assert.Equal("GET /api/links/line-users/{lineUserId}", request.Name);
        Assert.Equal("GET /api/links/line-users/{lineUserId}", request.Context.Operation.Name);
    }

    [Fact]
    public void Process_ExceptionAndProperties_MessagesAndValuesRedacted()
    {
        var exception = new ExceptionTelemetry(new InvalidOperationException($"docs/line:1234567890:{LineUserId} conflict"));
        exception.Properties["url"] = "https://access.line.me/dialog/bot/accountLink?linkToken=abc&nonce=def";
        var next = new Sink();

        new RedactingTelemetryProcessor(next).Process(exception);

        var details = Assert.Single(exception.ExceptionDetailsInfoList);
        Assert.DoesNotContain(LineUserId, details.Message, StringComparison.Ordinal);
        Assert.Equal("https://access.line.me/dialog/bot/accountLink?linkToken={redacted}&nonce={redacted}", exception.Properties["url"]);
        Assert.Single(next.Items);
    }

    [Fact]
    public void Process_TraceAndDependency_MessageAndDataRedacted()
    {
        var trace = new TraceTelemetry($"Executing RedirectResult, redirecting to https://access.line.me/dialog/bot/accountLink?linkToken=abc&nonce=def");
        var dependency = new DependencyTelemetry("Http", "api.line.me", $"POST /v2/bot/user/{LineUserId}/linkToken", $"https://api.line.me/v2/bot/user/{LineUserId}/linkToken");
        var next = new Sink();
        var processor = new RedactingTelemetryProcessor(next);

        processor.Process(trace);
        processor.Process(dependency);

        Assert.Equal("Executing RedirectResult, redirecting to https://access.line.me/dialog/bot/accountLink?linkToken={redacted}&nonce={redacted}", trace.Message);
        Assert.Equal("POST /v2/bot/user/{userId}/linkToken", dependency.Name);
        Assert.Equal("https://api.line.me/v2/bot/user/{userId}/linkToken", dependency.Data);
    }

    private sealed class Sink : ITelemetryProcessor
    {
        public List<ITelemetry> Items { get; } = [];

        public void Process(ITelemetry item) => Items.Add(item);
    }
}

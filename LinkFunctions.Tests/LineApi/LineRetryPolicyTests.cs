using System.Net;
using LinkFunctions.LineApi;
using Polly;
using Polly.Timeout;

namespace LinkFunctions.Tests.LineApi;

public class LineRetryPolicyTests
{
    private static Outcome<HttpResponseMessage> Status(HttpStatusCode status) => Outcome.FromResult(new HttpResponseMessage(status));

    private static HttpRequestMessage Push() => LineRequest.Create(HttpMethod.Post, "v2/bot/message/push", "push");

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError)]
    [InlineData(HttpStatusCode.BadGateway)]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    [InlineData(HttpStatusCode.GatewayTimeout)]
    [InlineData(HttpStatusCode.RequestTimeout)]
    public void ShouldRetry_ServerErrorOrRequestTimeout_ReturnsTrue(HttpStatusCode status)
    {
        Assert.True(LineRetryPolicy.ShouldRetry(Status(status), 0, Push()));
        Assert.True(LineRetryPolicy.ShouldRetry(Status(status), 1, Push()));
    }

    [Theory]
    [InlineData(HttpStatusCode.OK)]
    [InlineData(HttpStatusCode.BadRequest)]
    [InlineData(HttpStatusCode.Unauthorized)]
    [InlineData(HttpStatusCode.Forbidden)]
    [InlineData(HttpStatusCode.NotFound)]
    [InlineData(HttpStatusCode.Conflict)]
    [InlineData(HttpStatusCode.Gone)]
    [InlineData(HttpStatusCode.RequestEntityTooLarge)]
    [InlineData(HttpStatusCode.UnsupportedMediaType)]
    public void ShouldRetry_SuccessOrOtherClientError_ReturnsFalse(HttpStatusCode status)
    {
        Assert.False(LineRetryPolicy.ShouldRetry(Status(status), 0, Push()));
    }

    [Fact]
    public void ShouldRetry_TooManyRequestsOnTheFirstAttempt_ReturnsTrue()
    {
        Assert.True(LineRetryPolicy.ShouldRetry(Status(HttpStatusCode.TooManyRequests), 0, Push()));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void ShouldRetry_TooManyRequestsAfterTheFirstAttempt_ReturnsFalse(int attempt)
    {
        Assert.False(LineRetryPolicy.ShouldRetry(Status(HttpStatusCode.TooManyRequests), attempt, Push()));
    }

    [Fact]
    public void ShouldRetry_HttpRequestException_ReturnsTrue()
    {
        Assert.True(LineRetryPolicy.ShouldRetry(Outcome.FromException<HttpResponseMessage>(new HttpRequestException("reset")), 0, Push()));
    }

    [Fact]
    public void ShouldRetry_AttemptTimeout_ReturnsTrue()
    {
        Assert.True(LineRetryPolicy.ShouldRetry(Outcome.FromException<HttpResponseMessage>(new TimeoutRejectedException()), 0, Push()));
    }

    [Fact]
    public void ShouldRetry_OtherException_ReturnsFalse()
    {
        Assert.False(LineRetryPolicy.ShouldRetry(Outcome.FromException<HttpResponseMessage>(new InvalidOperationException()), 0, Push()));
    }

    [Fact]
    public void ShouldRetry_NoRequestInTheContext_StillAppliesTheStatusRules()
    {
        Assert.True(LineRetryPolicy.ShouldRetry(Status(HttpStatusCode.ServiceUnavailable), 0, null));
        Assert.False(LineRetryPolicy.ShouldRetry(Status(HttpStatusCode.BadRequest), 0, null));
    }

    public static TheoryData<string> RetryableOutcomes => new() { "500", "503", "408", "429", "HttpRequestException", "Timeout" };

    [Theory]
    [MemberData(nameof(RetryableOutcomes))]
    public void ShouldRetry_RequestMarkedNoRetry_NeverRetries(string kind)
    {
        var reply = LineRequest.Create(HttpMethod.Post, "v2/bot/message/reply", "reply", retry: false);
        var outcome = kind switch
        {
            "HttpRequestException" => Outcome.FromException<HttpResponseMessage>(new HttpRequestException()),
            "Timeout" => Outcome.FromException<HttpResponseMessage>(new TimeoutRejectedException()),
            _ => Status((HttpStatusCode)int.Parse(kind, System.Globalization.CultureInfo.InvariantCulture)),
        };

        Assert.False(LineRetryPolicy.ShouldRetry(outcome, 0, reply));
    }

    [Fact]
    public void Create_RetryFalse_SetsNoRetryAndTheEndpointName()
    {
        var reply = LineRequest.Create(HttpMethod.Post, "v2/bot/message/reply", "reply", retry: false);
        var push = Push();

        Assert.True(reply.Options.TryGetValue(LineRequest.NoRetry, out var noRetry) && noRetry);
        Assert.False(push.Options.TryGetValue(LineRequest.NoRetry, out _));
        Assert.True(reply.Options.TryGetValue(LineRequest.Endpoint, out var name));
        Assert.Equal("reply", name);
    }
}

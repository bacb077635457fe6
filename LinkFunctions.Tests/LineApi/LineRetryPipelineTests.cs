using System.Net;
using LinkFunctions.LineApi;
using Microsoft.Extensions.DependencyInjection;

namespace LinkFunctions.Tests.LineApi;

/// <summary>
/// The policy as the app wires it (<see cref="LineRetryPolicy.Configure"/> in a resilience handler): the NoRetry
/// flag must reach ShouldRetry through the pipeline's context, or a reply would be sent twice.
/// </summary>
public class LineRetryPipelineTests
{
    private static (HttpClient Client, CountingHandler Handler) Build(HttpStatusCode status)
    {
        var handler = new CountingHandler(status);
        var services = new ServiceCollection();
        services.AddHttpClient("line")
            .ConfigureHttpClient(c => c.BaseAddress = new Uri("https://api.line.me/"))
            .ConfigurePrimaryHttpMessageHandler(() => handler)
            .AddResilienceHandler("line", LineRetryPolicy.Configure);
        var client = services.BuildServiceProvider().GetRequiredService<IHttpClientFactory>().CreateClient("line");
        return (client, handler);
    }

    [Fact]
    public async Task Configure_ReplyAnswered500_IsSentOnce()
    {
        var (client, handler) = Build(HttpStatusCode.InternalServerError);

        using var response = await client.SendAsync(LineRequest.Create(HttpMethod.Post, "v2/bot/message/reply", "reply", retry: false));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal(1, handler.Calls);
    }

    [Fact]
    public async Task Configure_PushAnswered503_IsRetriedUpToTheLimit()
    {
        var (client, handler) = Build(HttpStatusCode.ServiceUnavailable);

        using var response = await client.SendAsync(LineRequest.Create(HttpMethod.Post, "v2/bot/message/push", "push"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(1 + LineRetryPolicy.MaxRetryAttempts, handler.Calls);
    }

    [Fact]
    public async Task Configure_PushAnswered400_IsNotRetried()
    {
        var (client, handler) = Build(HttpStatusCode.BadRequest);

        using var response = await client.SendAsync(LineRequest.Create(HttpMethod.Post, "v2/bot/message/push", "push"));

        Assert.Equal(1, handler.Calls);
    }

    [Fact]
    public async Task Configure_EveryAttemptHangs_SurfacesTimeoutRejectedExceptionFromSendAsync()
    {
        // Callers must expect this: it is neither an HttpRequestException nor an OperationCanceledException.
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        var handler = new HangingHandler();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        services.AddHttpClient("line")
            .ConfigureHttpClient(c => c.BaseAddress = new Uri("https://api.line.me/"))
            .ConfigurePrimaryHttpMessageHandler(() => handler)
            .AddResilienceHandler("line", LineRetryPolicy.Configure);
        var client = services.BuildServiceProvider().GetRequiredService<IHttpClientFactory>().CreateClient("line");

        var send = client.SendAsync(LineRequest.Create(HttpMethod.Post, "v2/bot/message/push", "push"));
        for (var i = 0; i < 200 && !send.IsCompleted; i++)
        {
            time.Advance(TimeSpan.FromMilliseconds(100));
            await Task.Delay(5);
        }

        await Assert.ThrowsAsync<Polly.Timeout.TimeoutRejectedException>(() => send);
        Assert.True(handler.Calls > 1);
    }

    private sealed class HangingHandler : HttpMessageHandler
    {
        private int calls;

        public int Calls => Volatile.Read(ref calls);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref calls);
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return new HttpResponseMessage(HttpStatusCode.OK);
        }
    }

    private sealed class CountingHandler(HttpStatusCode status) : HttpMessageHandler
    {
        private int calls;

        public int Calls => Volatile.Read(ref calls);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref calls);
            return Task.FromResult(new HttpResponseMessage(status));
        }
    }
}

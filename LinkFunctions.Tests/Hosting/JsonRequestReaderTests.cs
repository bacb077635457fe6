using LinkFunctions.Functions;
using LinkFunctions.Hosting;
using LinkFunctions.Tests.Functions;
using LinkFunctions.Tests.Webhook;

namespace LinkFunctions.Tests.Hosting;

public sealed class JsonRequestReaderTests
{
    [Fact]
    public async Task ReadAsync_ConnectionDroppedMidBody_BadRequestNotAnException()
    {
        var request = FunctionHttp.Post("/links/token", "{}", withContentLength: false);
        request.Body = new StalledStream(new IOException("The client reset the connection."));

        var (value, error) = await JsonRequestReader.ReadAsync(request, ApiJsonContext.Default.IssueLinkTokenRequest);

        Assert.Null(value);
        FunctionHttp.Problem(error!, 400, "incomplete-body");
    }

    [Fact]
    public async Task ReadAsync_InvalidUtf8InAMemberTheTypeDoesNotHave_BadRequest()
    {
        byte[] body = [.. "{\"lineUserId\":\"U0123456789abcdef0123456789abcdef\",\"note\":\""u8, 0xFF, .. "\"}"u8];

        var (value, error) = await JsonRequestReader.ReadAsync(FunctionHttp.Post("/links/token", body), ApiJsonContext.Default.IssueLinkTokenRequest);

        Assert.Null(value);
        Assert.Contains("UTF-8", FunctionHttp.Problem(error!, 400, "invalid-json"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_RequestAbortedMidBody_BadRequestNotAnException()
    {
        var request = FunctionHttp.Post("/links/nonce", "{}", withContentLength: false);
        request.Body = new StalledStream();
        using var aborted = new CancellationTokenSource();
        request.HttpContext.RequestAborted = aborted.Token;
        aborted.CancelAfter(TimeSpan.FromMilliseconds(50));

        var (value, error) = await JsonRequestReader.ReadAsync(request, ApiJsonContext.Default.CreateAccountLinkRedirectRequest);

        Assert.Null(value);
        FunctionHttp.Problem(error!, 400, "incomplete-body");
    }
}

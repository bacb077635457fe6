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

using LinkFunctions.Functions;
using LinkFunctions.Hosting;
using LinkFunctions.Linking;
using LinkFunctions.Login;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace LinkFunctions.Tests.Functions;

public class CreateLineLoginSessionFunctionTests
{
    private static LinkingOptions Linking()
    {
        var options = new LinkingOptions { PublicBaseUrl = new Uri("https://link.example.com") };
        options.AllowedReturnUrls.Add("https://service.example.com/done");
        return options;
    }

    private static CreateLineLoginSessionFunction Function(LineLoginOptions? login = null) =>
        new(null!, new ReturnUrlAllowList(Options.Create(Linking())), Options.Create(login ?? new LineLoginOptions { ChannelId = "2000000001" }), NullLogger<CreateLineLoginSessionFunction>.Instance);

    [Fact]
    public async Task Run_LineLoginNotConfigured_404Problem()
    {
        var request = FunctionHttp.Post("/login/line/sessions", """{"serviceUserId":"alice","returnUrl":"https://service.example.com/done"}""");

        var result = await Function(new LineLoginOptions()).Run(request);

        FunctionHttp.Problem(result, 404, "line-login-not-configured");
        FunctionHttp.AssertNoStore(request);
    }

    [Theory]
    [InlineData("""{"returnUrl":"https://service.example.com/done"}""", "invalid-service-user-id")]
    [InlineData("""{"serviceUserId":"a b","returnUrl":"https://service.example.com/done"}""", "invalid-service-user-id")]
    [InlineData("""{"serviceUserId":"alice"}""", "return-url-not-allowed")]
    [InlineData("""{"serviceUserId":"alice","returnUrl":"https://service.example.com/donex"}""", "return-url-not-allowed")]
    [InlineData("""[]""", "invalid-json")]
    public async Task Run_BadBody_400BeforeAnyStorage(string body, string type)
    {
        var request = FunctionHttp.Post("/login/line/sessions", body);

        var result = await Function().Run(request);

        FunctionHttp.Problem(result, 400, type);
        FunctionHttp.AssertNoStore(request);
    }

    [Fact]
    public async Task Run_ClientAbortsMidBody_400NotA500()
    {
        var request = FunctionHttp.Post("/login/line/sessions", """{"serviceUserId":"alice","returnUrl":"https://service.example.com/done"}""");
        request.Body = new LinkFunctions.Tests.Webhook.StalledStream(new IOException("The client reset the request stream."));

        var result = await Function().Run(request);

        FunctionHttp.Problem(result, 400, "incomplete-body");
        FunctionHttp.AssertNoStore(request);
    }
}

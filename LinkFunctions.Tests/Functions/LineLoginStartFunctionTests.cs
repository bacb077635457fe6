using LinkFunctions.Functions;
using LinkFunctions.Hosting;
using LinkFunctions.Login;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace LinkFunctions.Tests.Functions;

public class LineLoginStartFunctionTests
{
    [Fact]
    public async Task Run_LineLoginNotConfigured_404ProblemAndNoStore()
    {
        var function = new LineLoginStartFunction(null!, null!, null!, Options.Create(new AuthOptions()), Options.Create(new LineLoginOptions()), NullLogger<LineLoginStartFunction>.Instance);
        var request = FunctionHttp.Get("/login/line", "?returnUrl=https%3A%2F%2Fservice.example.com%2F");

        var result = await function.Run(request);

        FunctionHttp.Problem(result, 404, "line-login-not-configured");
        FunctionHttp.AssertNoStore(request);
    }
}

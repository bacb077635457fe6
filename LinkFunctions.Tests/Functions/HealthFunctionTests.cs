using LinkFunctions.Functions;

namespace LinkFunctions.Tests.Functions;

public class HealthFunctionTests
{
    [Fact]
    public void Run_Always_Returns200WithAConstantBody()
    {
        var result = new HealthFunction().Run(FunctionHttp.Get("/health"));

        Assert.Equal(200, FunctionHttp.Status(result));
        var json = FunctionHttp.Json(result);
        Assert.Equal("ok", json.GetProperty("status").GetString());
        Assert.Single(json.EnumerateObject());
    }
}

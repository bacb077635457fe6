using Microsoft.Extensions.Hosting;

namespace LinkFunctions.Hosting;

public static class LinkFunctionsExtensions
{
    public static IHostApplicationBuilder AddLinkFunctions(this IHostApplicationBuilder builder)
    {
        return builder;
    }
}

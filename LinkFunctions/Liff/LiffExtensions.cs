using LinkFunctions.Hosting;
using LinkFunctions.LineApi;
using LinkFunctions.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LinkFunctions.Liff;

public static class LiffExtensions
{
    /// <summary>Always registered: with <c>Liff__ChannelId</c> unset the routes answer 404 and nothing calls LINE.</summary>
    public static IHostApplicationBuilder AddLiff(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<LiffOptions, LiffOptionsValidator>(LiffOptions.Section);
        LineApiExtensions.AddLineClient(builder.Services.AddHttpClient<LineJwksClient>(LineJwksClient.HttpClientName)
            .ConfigureHttpClient(http => http.MaxResponseContentBufferSize = LineJwksClient.MaxResponseBytes));
        builder.Services.AddSingleton<LiffSigningKeys>();
        builder.Services.AddSingleton<LiffIdTokenVerifier>();
        builder.Services.AddSingleton<ILiffIdTokenStore, CosmosLiffIdTokenStore>();
        builder.Services.AddSingleton<LiffOrigins>();
        builder.Services.AddSingleton<LiffLinkService>();
        return builder;
    }
}

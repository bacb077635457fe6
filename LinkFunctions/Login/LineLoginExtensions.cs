using LinkFunctions.Hosting;
using LinkFunctions.LineApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LinkFunctions.Login;

public static class LineLoginExtensions
{
    /// <summary>Always registered; with no <c>LineLogin__ChannelId</c> the functions answer 404 and nothing else runs.</summary>
    public static IHostApplicationBuilder AddLineLogin(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<LineLoginOptions, LineLoginOptionsValidator>(LineLoginOptions.Section);
        LineApiExtensions.AddLineClient(builder.Services.AddHttpClient<LineLoginTokenClient>(LineLoginTokenClient.HttpClientName));
        builder.Services.AddSingleton<ILineLoginStore, CosmosLineLoginStore>();
        builder.Services.AddSingleton<LineLoginSecretReader>();
        builder.Services.AddSingleton<ILineLoginChannelSecret, LineLoginChannelSecret>();
        builder.Services.AddSingleton<LoginTokenProtector>();
        builder.Services.AddSingleton<LineLoginIdTokenValidator>();
        builder.Services.AddSingleton<ReturnUrlAllowList>();
        builder.Services.AddSingleton<LineLoginStartService>();
        builder.Services.AddSingleton<LineLoginCallbackService>();
        builder.Services.AddSingleton<LineLoginProviderCheck>();
        LineApiExtensions.AddLineClient(builder.Services.AddHttpClient<LineLoginDeauthorizeClient>(LineLoginDeauthorizeClient.HttpClientName));
        builder.Services.AddSingleton<Linking.ILineGrantRevoker, LineLoginDeauthorizer>();
        return builder;
    }
}

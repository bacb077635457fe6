using LinkFunctions.LineApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace LinkFunctions.Hosting;

public static class LineApiExtensions
{
    public static IHostApplicationBuilder AddLineApi(this IHostApplicationBuilder builder)
    {
        builder.Services.AddTransient<LineApiLoggingHandler>();
        builder.Services.AddSingleton<ChannelAccessTokenProvider>(sp => ActivatorUtilities.CreateInstance<ChannelAccessTokenProvider>(
            sp, sp.GetRequiredService<IHttpClientFactory>().CreateClient(ChannelAccessTokenProvider.HttpClientName)));
        AddLineClient(builder.Services.AddHttpClient(ChannelAccessTokenProvider.HttpClientName));
        AddLineClient(builder.Services.AddHttpClient<LineMessagingClient>(LineMessagingClient.HttpClientName));
        return builder;
    }

    internal static void AddLineClient(IHttpClientBuilder client)
    {
        client.ConfigureHttpClient((sp, http) =>
        {
            // A trailing slash so that relative paths keep any path the base URL has (a local simulator).
            http.BaseAddress = new Uri(sp.GetRequiredService<IOptions<LineOptions>>().Value.ApiBaseUrl.AbsoluteUri.TrimEnd('/') + "/");
            http.Timeout = Timeout.InfiniteTimeSpan;
        });
        client.AddResilienceHandler("line", LineRetryPolicy.Configure);
        client.AddHttpMessageHandler<LineApiLoggingHandler>();
        client.RemoveAllLoggers();
    }
}

using LinkFunctions.Hosting;
using LinkFunctions.Linking;
using LinkFunctions.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Polly;

namespace LinkFunctions.Notifications;

public static class NotificationExtensions
{
    /// <summary>Always registered: with <c>Linking__NotifyUrl</c> unset the recorder records nothing and the timer sends nothing.</summary>
    public static IHostApplicationBuilder AddLinkNotifications(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<NotificationOptions, NotificationOptionsValidator>(NotificationOptions.Section);
        builder.Services.AddSingleton<IOutbox, CosmosOutbox>();
        builder.Services.AddSingleton<NotifySecret>();
        var client = builder.Services.AddHttpClient<LinkChangeSender>(LinkChangeSender.HttpClientName)
            .ConfigureHttpClient(http => http.Timeout = Timeout.InfiniteTimeSpan)

            // A redirect could take the signed body somewhere else, or to plain http: a 3xx is an answer, not a hop.
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false })
            .RemoveAllLoggers();

        // A timeout only, no retry: the outbox retries, with backoff stored on the entry.
        client.AddResilienceHandler("link-notify", pipeline => pipeline.AddTimeout(NotificationPolicy.SendTimeout));
        builder.Services.AddSingleton<OutboxCommitCheck>();
        builder.Services.AddSingleton<OutboxDrainer>();
        builder.Services.AddSingleton<BackgroundDeliveryTrigger>();
        builder.Services.AddSingleton<IDeliveryTrigger>(sp => sp.GetRequiredService<BackgroundDeliveryTrigger>());
        builder.Services.AddHostedService(sp => sp.GetRequiredService<BackgroundDeliveryTrigger>());
        builder.Services.AddSingleton<LinkChangeRecorder>();
        builder.Services.AddSingleton<IErasureListener, ErasureNotifier>();
        return builder;
    }
}

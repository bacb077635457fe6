using LinkFunctions.Liff;
using LinkFunctions.LineApi;
using LinkFunctions.Linking;
using LinkFunctions.Login;
using LinkFunctions.Notifications;
using LinkFunctions.Secrets;
using LinkFunctions.Storage;
using LinkFunctions.Webhook;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace LinkFunctions.Hosting;

/// <summary>The composition root: everything <c>Program.cs</c> wires, and what the tests build the app from.</summary>
public static class LinkFunctionsExtensions
{
    public static IHostApplicationBuilder AddLinkFunctions(this IHostApplicationBuilder builder)
    {
        builder.AddLinkFunctionsOptions();
        builder.AddLogIdHashing();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddMetrics();
        builder.Services.AddSingleton<LinkMetrics>();
        builder.AddLinkStorage();
        builder.AddChannelSecrets();
        builder.AddLineApi();
        builder.AddReadiness();
        builder.AddLiff();
        builder.AddLineLogin();
        builder.AddLinkNotifications();
        builder.Services.AddSingleton(sp => new ProviderKey(sp.GetRequiredService<IOptions<LineOptions>>().Value.ChannelId));

        builder.Services.AddSingleton<ReplacedLinkNotifier>();
        builder.Services.AddSingleton<LinkWriter>();
        builder.Services.AddSingleton<LinkReader>();
        builder.Services.AddSingleton<LinkUnlinker>();
        builder.Services.AddSingleton<LinkHistoryReader>();
        builder.Services.AddSingleton<UserEraser>();
        builder.Services.AddSingleton<LinkTokenService>();
        builder.Services.AddSingleton<AccountLinkRedirectService>();
        builder.Services.AddSingleton<AccountLinkService>();
        builder.Services.AddSingleton<ServiceUserResolver>();
        builder.Services.AddSingleton<Messaging.PushToUserService>();

        builder.Services.AddSingleton<AccountLinkHandler>();
        builder.Services.AddSingleton<LinkPromptHandler>();
        builder.Services.AddSingleton<UnlinkHandler>();
        builder.Services.AddSingleton<WebhookEventDispatcher>();
        builder.Services.AddSingleton<WebhookProcessor>();
        return builder;
    }

    public static IHostApplicationBuilder AddLinkFunctionsOptions(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton(PlatformInfo.From(builder.Configuration));
        builder.Services.AddValidatedOptions<LineOptions, LineOptionsValidator>(LineOptions.Section);
        builder.Services.AddValidatedOptions<CosmosOptions, CosmosOptionsValidator>(CosmosOptions.Section);
        builder.Services.AddValidatedOptions<KeyVaultOptions, KeyVaultOptionsValidator>(KeyVaultOptions.Section);
        builder.Services.AddValidatedOptions<LinkingOptions, LinkingOptionsValidator>(LinkingOptions.Section);
        builder.Services.PostConfigure<LinkingOptions>(o => o.AddCommaSeparatedReturnUrls(builder.Configuration[LinkingOptions.AllowedReturnUrlsKey]));
        builder.Services.AddValidatedOptions<AuthOptions, AuthOptionsValidator>(AuthOptions.Section);
        builder.Services.AddValidatedOptions<WebhookOptions, WebhookOptionsValidator>(WebhookOptions.Section);
        return builder;
    }

    internal static void AddValidatedOptions<TOptions, TValidator>(this IServiceCollection services, string section)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        services.AddOptions<TOptions>().BindConfiguration(section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TOptions>, TValidator>();
    }
}

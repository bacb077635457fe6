using LinkFunctions.Simulator.Line;
using LinkFunctions.Simulator.Service;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;

namespace LinkFunctions.Simulator;

/// <summary>
/// The simulator: LINE's API and pages, "your service", the chat page and the inspector, on one origin. For local
/// development and demos only; the app reaches it only when its LINE base URLs are pointed here.
/// </summary>
public static class SimulatorApp
{
    public static WebApplication Build(string[] args, IReadOnlyDictionary<string, string?>? settings = null, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        builder.Services.AddOptions<SimulatorOptions>().BindConfiguration(SimulatorOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<SimulatorOptions>, SimulatorOptionsValidator>();
        builder.Services.AddSingleton<Inspector>();
        builder.Services.AddSingleton<LineUsers>();
        builder.Services.AddSingleton<LinkTokens>();
        builder.Services.AddSingleton<ReplyTokens>();
        builder.Services.AddSingleton<IdTokens>();
        builder.Services.AddSingleton<NotificationInbox>();
        builder.Services.AddHttpClient<WebhookSender>(http => http.Timeout = TimeSpan.FromSeconds(30));
        builder.Services.AddHttpClient<AppClient>(http => http.Timeout = TimeSpan.FromSeconds(30))
            .ConfigurePrimaryHttpMessageHandler(() => new HttpClientHandler { AllowAutoRedirect = false });
        builder.Services.AddSingleton<MessagingApi>();
        builder.Services.AddSingleton<LoginApi>();
        builder.Services.AddSingleton<AccountLinkDialog>();
        builder.Services.AddSingleton<ChatApi>();
        builder.Services.AddSingleton<ServicePages>();
        configure?.Invoke(builder);

        var app = builder.Build();
        app.UseMiddleware<ApiCallRecorder>();
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = Pages });
        app.UseStaticFiles(new StaticFileOptions { FileProvider = Pages });
        app.Services.GetRequiredService<MessagingApi>().Map(app);
        app.Services.GetRequiredService<LoginApi>().Map(app);
        app.Services.GetRequiredService<AccountLinkDialog>().Map(app);
        app.Services.GetRequiredService<ChatApi>().Map(app);
        app.Services.GetRequiredService<ServicePages>().Map(app);
        app.Services.GetRequiredService<NotificationInbox>().Map(app);
        return app;
    }

    /// <summary>The chat page, its script and styles, embedded in the assembly (flat names under "wwwroot").</summary>
    private static EmbeddedFileProvider Pages { get; } = new(typeof(SimulatorApp).Assembly, "wwwroot");
}

using LinkFunctions.Functions;
using LinkFunctions.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;

// The worker's composition as Program.cs builds it (AddLinkFunctions: options validated at start, hosted services,
// the warm-up), served by Kestrel instead of the Functions host: LINE's webhook route calls the real function class,
// activated per request from the service provider as the worker does. benchmarks/coldstart.sh times a fresh process
// from its start to the 200 of the first signed webhook.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
builder.AddLinkFunctions();

var app = builder.Build();
app.MapPost("/api/line/webhook", async context =>
{
    var function = ActivatorUtilities.CreateInstance<LineWebhookFunction>(context.RequestServices);
    var result = await function.Run(context.Request);
    await result.ExecuteResultAsync(new ActionContext(context, context.GetRouteData(), new ActionDescriptor()));
});
app.Run();

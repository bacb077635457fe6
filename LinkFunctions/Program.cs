using LinkFunctions.Hosting;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);

// ASP.NET Core integration: functions take HttpRequest and stream the body with no gRPC copy.
builder.ConfigureFunctionsWebApplication();
builder.UseFunctionKeyHeaderOnly();

builder.AddLinkFunctions();
builder.AddLinkFunctionsTelemetry();

builder.Build().Run();

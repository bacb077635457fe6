using LinkFunctions.Simulator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

var app = SimulatorApp.Build(args.Where(a => a != AppSettings.PrintFlag).ToArray());
if (args.Contains(AppSettings.PrintFlag))
{
    // scripts/run-local.sh evaluates this to point the app at the simulator with the same values.
    Console.Write(AppSettings.Exports(app.Services.GetRequiredService<IOptions<SimulatorOptions>>().Value));
    return;
}

app.Run();

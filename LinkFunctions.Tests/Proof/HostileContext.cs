using LinkFunctions.Tests.TestSupport;

namespace LinkFunctions.Tests.Proof;

/// <summary>Builds one hostile request for a route from the case's junk; may set up real state first (a started login).</summary>
public delegate Task<HostileCase> HostileProfile(Junk junk, HostileContext context);

/// <summary>What a profile may use: the running app and the LINE fake.</summary>
public sealed record HostileContext(TestApp App, LineFake Line);

/// <summary>A JSON body's members for one class of input, and what the route must answer once the body parses.</summary>
public sealed record BodyPlan(string Kind, List<(string Key, string Raw)> Members, int Expected, string? Field = null)
{
    public List<string> Secrets { get; init; } = [];
}

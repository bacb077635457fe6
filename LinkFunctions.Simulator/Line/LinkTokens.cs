namespace LinkFunctions.Simulator.Line;

/// <summary>Link tokens: bound to one user, valid 10 minutes, spent by the accountLink dialog.</summary>
public sealed class LinkTokens() : SingleUseTokens(TimeSpan.FromMinutes(10), 24);

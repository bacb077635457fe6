namespace LinkFunctions.Simulator.Line;

/// <summary>Reply tokens: one per event that can be replied to, valid one minute, spent by the reply.</summary>
public sealed class ReplyTokens() : SingleUseTokens(TimeSpan.FromMinutes(1), 16);

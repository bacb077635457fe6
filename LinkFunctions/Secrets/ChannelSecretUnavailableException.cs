namespace LinkFunctions.Secrets;

/// <summary>No secret is held and the last fetch failed moments ago: the caller is told without another vault call.</summary>
public sealed class ChannelSecretUnavailableException(string name)
    : Exception($"The channel secret {name} is not held and the last fetch failed moments ago.");
